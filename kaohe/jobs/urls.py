from django.urls import path

from kaohe.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.jobs, name="list"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/file/", views.job_file, name="file"),
    path("<int:pk>/next/", views.job_next, name="next"),
]
