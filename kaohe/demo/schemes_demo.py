"""The scheme's lifecycle in the demo county: an amendment of the year's published scheme, saved
through the service the designer's save calls, and next year's scheme as a draft copied from it.

Call last in the build (after the rounds, which froze their inputs), so the amendment is the
mid-year change it would be in a real county: the pages score with the amended method from then
on, and the rounds already published keep what they froze.
"""

from __future__ import annotations

from kaohe.org.models import Role, User
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.services import scheme_amend, scheme_copy

#: The leaf amended and how: 接待游客人次 counts over-achievement up to 110% instead of 120%.
AMENDED_NAME = "接待游客人次"
AMENDED_CAP = 1.1
REASON = "州考核办通知：旅游指标超额完成部分最多按110%计分（演示数据）"


def demo_schemes_build(*, scheme: Scheme) -> dict[str, int]:
    """Amendment No. 1 of the demo's published scheme and a draft for the next year; does
    nothing that is already there (safe to call again)."""
    office = User.objects.get(county_id=scheme.county_id, role=Role.OFFICE, username="office")
    amended = 0
    leaf = Indicator.objects.filter(scheme=scheme, name=AMENDED_NAME).first()
    if leaf is not None and not scheme.amendments.exists():
        scheme_amend(
            user=office,
            scheme=scheme,
            reason=REASON,
            changes=[{"indicator": leaf.code, "method": {**leaf.method, "cap": AMENDED_CAP}}],
            version=Scheme.objects.get(pk=scheme.pk).version,
        )
        amended = 1
    drafts = 0
    if not Scheme.objects.filter(county_id=scheme.county_id, year=scheme.year + 1).exists():
        scheme_copy(user=office, scheme=scheme, year=scheme.year + 1)
        drafts = 1
    return {"scheme_amendments": amended, "scheme_drafts": drafts}
