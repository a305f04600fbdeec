from django.urls import path

from kaohe.exchange import views

app_name = "exchange"
urlpatterns = [
    path("template.xlsx", views.report_template, name="report_template"),
    path("upload/", views.report_upload, name="report_upload"),
    path("data.xlsx", views.assessor_template_view, name="assessor_template"),
    path("data/", views.assessor_upload, name="assessor_upload"),
]
