from django.urls import path

from kaohe.exchange import history_views

app_name = "history"
urlpatterns = [
    path("", history_views.index, name="index"),
    path("template.xlsx", history_views.template_download, name="template"),
]
