"""The supervision app's rows of the route table in tests/test_access_routes.py (same format)."""

from __future__ import annotations

from typing import Any

from tests.supervision import helpers as h

BUSINESS = frozenset({"office", "assessor", "unit", "leader", "supervisor", "organisation"})
COUNTY = frozenset({"office", "leader", "supervisor", "organisation"})
ISSUERS = frozenset({"office", "supervisor"})
UNIT = frozenset({"unit"})
OFFICE = frozenset({"office"})
NONE: Any = lambda w: []  # noqa: E731

ROUTES: dict[str, Any] = {
    "supervision:notices": (NONE, "get", BUSINESS, 200),
    "supervision:notice": (lambda w: [h.issued(w).pk], "get", BUSINESS, 200),
    "supervision:notice_pdf": (lambda w: [h.issued(w).pk], "get", BUSINESS, 200),
    "supervision:notice_issue": (lambda w: [h.draft(w).pk], "post", ISSUERS, 302),
    "supervision:notice_withdraw": (lambda w: [h.issued(w).pk], "post", ISSUERS, 302),
    "supervision:notice_escalate": (lambda w: [h.issued(w).pk], "post", ISSUERS, 302),
    "supervision:notice_rectify": (lambda w: [h.issued(w).pk], "get", UNIT, 200),
    "supervision:rectification_decide": (lambda w: [h.rectified(w).pk], "post", ISSUERS, 302),
    "supervision:rectification_evidence": (
        lambda w: [h.rectified(w).evidence.get().pk],
        "get",
        BUSINESS,
        200,
    ),
    "supervision:loops": (NONE, "get", COUNTY, 200),
    "supervision:cadence": (NONE, "get", OFFICE, 200),
    # An empty post: the page comes back with the fields marked.
    "supervision:cadence_save": (NONE, "post", OFFICE, 200),
    "supervision:cadence_run": (lambda w: ["monthly"], "post", OFFICE, 302),
    "supervision:inspections": (NONE, "get", BUSINESS, 200),
    "supervision:inspection_new": (NONE, "get", ISSUERS, 200),
    "supervision:inspection": (lambda w: [h.inspection(w).pk], "get", BUSINESS, 200),
    "supervision:inspection_notice": (lambda w: [h.inspection(w).pk], "post", ISSUERS, 302),
    "supervision:inspection_problem": (lambda w: [h.inspection(w).pk], "post", ISSUERS, 302),
    "supervision:problems": (NONE, "get", BUSINESS, 200),
    "supervision:problem_new": (NONE, "get", ISSUERS, 200),
    "supervision:problem": (lambda w: [h.problem(w).pk], "get", BUSINESS, 200),
    "supervision:visits": (NONE, "get", BUSINESS, 200),
    "supervision:visit_new": (NONE, "get", ISSUERS, 200),
}
# Routes on an object of one role's own: its owner gets the page, everyone else a 404.
OWNED_BY: dict[str, str] = {}
