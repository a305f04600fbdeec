from django.urls import path

from kaohe.exchange import onboarding_views as views

app_name = "onboarding"
urlpatterns = [
    path("", views.counties, name="counties"),
    path("new/", views.county_new, name="county_new"),
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/", views.county, name="county"),
    path("<int:pk>/import/", views.import_check, name="import_check"),
    path("<int:pk>/roles/", views.roles_check, name="roles_check"),
    path("<int:pk>/passwords/", views.passwords, name="passwords"),
]
