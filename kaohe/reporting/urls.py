from django.urls import path

from kaohe.reporting import views

app_name = "reporting"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("grid/", views.grid, name="grid"),
    path("lists/<int:target_pk>/", views.lists, name="lists"),
    path("lists/<int:target_pk>/propose/", views.target_propose, name="target_propose"),
    path("lists/<int:target_pk>/decide/", views.target_decide, name="target_decide"),
    path("lists/<int:target_pk>/schedule/", views.target_schedule, name="target_schedule"),
    path("fill/<int:target_pk>/<int:period_pk>/", views.fill, name="fill"),
    path("fill/<int:target_pk>/<int:period_pk>/check/", views.check, name="check"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/review/", views.review, name="review"),
    path("confirm/", views.confirm_queue, name="confirm_queue"),
    path("completeness/", views.completeness, name="completeness"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/", views.detail, name="detail"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
