from django.urls import path

from kaohe.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.battlemap, name="battlemap"),
    path("peers/", views.peers, name="peers"),
    path("map/<int:unit_pk>/<int:indicator_pk>/", views.cell, name="cell"),
]
