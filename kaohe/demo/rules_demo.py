"""The demo county's round rules: a second version of the annual rules, saved by the office
through the rules page's service with its reason, so that the rules page shows a history and
a change (synthetic, labelled so)."""

from __future__ import annotations

from kaohe.appraisal.inputs import rules_for
from kaohe.appraisal.models import RatingGroup, RoundKind
from kaohe.appraisal.rules import rules_clean
from kaohe.appraisal.rules_services import rules_save
from kaohe.org.models import Role, User
from kaohe.schemes.models import Scheme

REASON = (
    "县考核委员会第二次会议：评议组权重写入考核规则，省级以上表彰加分上限由3分提高到5分"
    "（演示数据，虚构）"
)


def demo_round_rules(*, scheme: Scheme) -> None:
    """Version 2 of the annual rules: the evaluator groups and their weights named in the rules
    (as their ballots were imported), and a bonus cap of 5. Rounds already computed keep the
    rules they were computed with; the office sees the change, and who made it and why, at
    考核结果 → 考核规则."""
    office = User.objects.get(county_id=scheme.county_id, role=Role.OFFICE, username="office")
    groups = [
        {
            "code": g.code,
            "name": g.name,
            "weight": float(g.weight),
            "drop_extremes": g.drop_extremes,
        }
        for g in RatingGroup.objects.filter(scheme=scheme)
    ]
    rules = rules_for(scheme, RoundKind.ANNUAL) | {"bonus_cap": 5}
    if groups:
        rules["rating_groups"] = groups
    rules_save(
        user=office,
        scheme=scheme,
        kind=RoundKind.ANNUAL,
        rules=rules_clean(rules),
        reason=REASON,
    )
