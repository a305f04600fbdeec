from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kaohe.dashboard.urls")),
    path("", include("kaohe.org.urls")),
    path("reports/", include("kaohe.reporting.urls")),
    path("reports/excel/", include("kaohe.exchange.urls")),
    path("scheme/", include("kaohe.schemes.urls")),
    path("scheme/designer/", include("kaohe.results.urls")),
    path("audit/", include("kaohe.audit.urls")),
    path("supervision/", include("kaohe.supervision.urls")),
    path("appraisal/", include("kaohe.appraisal.urls")),
    path("jobs/", include("kaohe.jobs.urls")),
    path("counties/", include("kaohe.exchange.onboarding_urls")),
    path("scheme/files/", include("kaohe.exchange.scheme_urls")),
    path("history/", include("kaohe.exchange.history_urls")),
]
