from django.urls import path

from kaohe.supervision import views

app_name = "supervision"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/<int:pk>/escalate/", views.notice_escalate, name="notice_escalate"),
    path("notices/<int:pk>/rectify/", views.notice_rectify, name="notice_rectify"),
    path(
        "rectifications/<int:pk>/decide/",
        views.rectification_decide,
        name="rectification_decide",
    ),
    path(
        "rectifications/evidence/<int:pk>/",
        views.rectification_evidence,
        name="rectification_evidence",
    ),
    path("loops/", views.loops, name="loops"),
    path("cadence/", views.cadence, name="cadence"),
    path("cadence/settings/", views.cadence_save, name="cadence_save"),
    path("cadence/<str:job>/run/", views.cadence_run, name="cadence_run"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/notice/", views.inspection_notice, name="inspection_notice"),
    path("inspections/<int:pk>/problem/", views.inspection_problem, name="inspection_problem"),
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views.problem, name="problem"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
]
