from django.urls import path

from kaohe.dashboard import bulletin_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.battlemap, name="battlemap"),
    path("map/screen/", views.screen, name="screen"),
    path("map/mine/", views.mine, name="mine"),
    path("map/leader/", views.portfolio, name="portfolio"),
    path("map/units/<int:unit_pk>/", views.unit, name="unit"),
    path("peers/", views.peers, name="peers"),
    path("map/<int:unit_pk>/<int:indicator_pk>/", views.cell, name="cell"),
    path("bulletins/", bulletin_views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", bulletin_views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/pdf/", bulletin_views.bulletin_file_pdf, name="bulletin_pdf"),
    path("bulletins/<int:pk>/xlsx/", bulletin_views.bulletin_file_xlsx, name="bulletin_xlsx"),
    path("bulletins/draft/<int:period_pk>/", bulletin_views.bulletin_draft, name="bulletin_draft"),
    path(
        "bulletins/draft/<int:period_pk>/pdf/",
        bulletin_views.bulletin_draft_pdf,
        name="bulletin_draft_pdf",
    ),
    path(
        "bulletins/draft/<int:period_pk>/xlsx/",
        bulletin_views.bulletin_draft_xlsx,
        name="bulletin_draft_xlsx",
    ),
    path(
        "bulletins/draft/<int:period_pk>/issue/",
        bulletin_views.bulletin_issue,
        name="bulletin_issue",
    ),
]
