from django.urls import path

from kaohe.schemes import views

app_name = "schemes"
urlpatterns = [
    path("", views.current, name="current"),
    path("all/", views.schemes, name="list"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/copy/", views.copy, name="copy"),
]
