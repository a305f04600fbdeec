"""What the page frame needs: the navigation a user's role may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaohe.org.access import Permission, has_perm
from kaohe.org.models import Notification

# (url name, label, permission): the menu shows only what the user's role may open.
MENU = [
    ("reporting:due", _("My reports"), Permission.REPORT_FILL),
    ("reporting:queue", _("Review queue"), Permission.REPORT_REVIEW),
    ("reporting:confirm_queue", _("Confirm data"), Permission.REPORT_CONFIRM),
    ("reporting:completeness", _("Completeness"), Permission.REPORT_CONFIRM),
    ("dashboard:battlemap", _("Battle map"), Permission.BATTLEMAP_VIEW),
    ("dashboard:mine", _("My view"), Permission.BATTLEMAP_VIEW),
    ("dashboard:peers", _("Peer ranking"), Permission.BATTLEMAP_VIEW),
    ("dashboard:bulletins", _("Bulletins"), Permission.BATTLEMAP_VIEW),
    ("schemes:current", _("Indicator system"), Permission.SCHEME_VIEW),
    ("supervision:notices", _("Closed loop"), Permission.NOTICE_VIEW),
    ("schemes:list", _("Schemes"), Permission.SCHEME_MANAGE),
    ("results:designer", _("Scheme designer"), Permission.SCHEME_MANAGE),
    ("history:index", _("History data"), Permission.SCHEME_MANAGE),
    ("appraisal:rounds", _("Appraisal results"), Permission.RESULT_VIEW),
    ("appraisal:rules", _("Round rules"), Permission.ROUND_MANAGE),
    ("appraisal:cadres", _("Cadre records"), Permission.CADRE_VIEW),
    ("org:accounts", _("Accounts"), Permission.ACCOUNT_LIST),
    ("onboarding:counties", _("Counties"), Permission.COUNTY_LIST),
    ("audit:log", _("Audit log"), Permission.AUDIT_VIEW),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"menu": []}
    return {
        "menu": [(name, label) for name, label, perm in MENU if has_perm(user, perm)],
        "demo_notice": user.county is not None and user.county.is_demo,
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
