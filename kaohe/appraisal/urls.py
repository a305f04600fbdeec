from django.urls import path  # noqa: F401

app_name = "appraisal"

urlpatterns: list = []  # type: ignore[type-arg]
