from django.urls import path

from kaohe.exchange import scheme_views

app_name = "schemefiles"
urlpatterns = [
    path("", scheme_views.upload, name="upload"),
    path("<int:pk>/export.<str:fmt>", scheme_views.export, name="export"),
]
