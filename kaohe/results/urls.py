from django.urls import path

from kaohe.results import views

app_name = "results"
urlpatterns = [
    path("", views.designer, name="designer"),
    path("<int:pk>/", views.designer_indicator, name="designer_indicator"),
    path("<int:pk>/preview/", views.designer_preview, name="designer_preview"),
    path("<int:pk>/whatif/", views.designer_whatif, name="designer_whatif"),
    path("<int:pk>/review/", views.designer_review, name="designer_review"),
    path("<int:pk>/save/", views.designer_save, name="designer_save"),
]
