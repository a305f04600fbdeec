"""The appraisal app's rows of the route table in tests/test_access_routes.py (same format)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import World

BUSINESS = frozenset({"office", "assessor", "unit", "leader", "supervisor", "organisation"})
OFFICE = frozenset({"office"})
CADRES = frozenset({"organisation", "office"})


def published(w: World) -> Any:
    """A published annual round with the world's town in it, made once per world."""
    from kaohe.appraisal.models import Round, RoundResult

    if not hasattr(w, "_round"):
        rnd = Round.objects.create(
            county=w.county,
            scheme=w.scheme,
            kind="annual",
            number=0,
            status="published",
            as_of=dt.date(w.scheme.year, 12, 31),
            rules={"grades": [["优秀", 95], ["较差", None]]},
            inputs={},
            inputs_hash="0" * 64,
            results_hash="0" * 64,
            computed_at=timezone.now(),
            computed_by=w.user("office"),
            notice_ends=timezone.localdate() + dt.timedelta(days=7),
        )
        result = RoundResult.objects.create(
            round=rnd,
            unit=w.town,
            category_code="T1",
            components={"own": 90.0},
            composite=Decimal("90"),
            rank=1,
            of=1,
            grade="较差",
        )
        w._round, w._result = rnd, result  # type: ignore[attr-defined]
    return w._round  # type: ignore[attr-defined]


def result(w: World) -> Any:
    published(w)
    return w._result  # type: ignore[attr-defined]


def appeal(w: World) -> Any:
    from kaohe.appraisal.models import Appeal

    return Appeal.objects.create(
        county=w.county, round=published(w), unit=w.town, reason="复核", filed_by=w.user("unit")
    )


ROUTES: dict[str, Any] = {
    "appraisal:rounds": (lambda w: [], "get", BUSINESS, 200),
    "appraisal:compute": (lambda w: [], "post", OFFICE, 302),
    "appraisal:round": (lambda w: [published(w).pk], "get", BUSINESS, 200),
    "appraisal:publish": (lambda w: [published(w).pk], "post", OFFICE, 302),
    "appraisal:finalise": (lambda w: [published(w).pk], "post", OFFICE, 302),
    "appraisal:appeal": (lambda w: [published(w).pk], "post", frozenset({"unit"}), 302),
    "appraisal:awards": (lambda w: [published(w).pk], "post", OFFICE, 302),
    "appraisal:result": (lambda w: [result(w).pk], "get", BUSINESS, 200),
    "appraisal:resolve": (lambda w: [appeal(w).pk], "post", OFFICE, 302),
    "appraisal:rules": (lambda w: [], "get", OFFICE, 200),
    "appraisal:inputs": (lambda w: [], "get", OFFICE, 200),
    "appraisal:adjustment": (lambda w: [], "post", OFFICE, 302),
    "appraisal:ratings": (lambda w: [], "post", OFFICE, 302),
    "appraisal:higher": (lambda w: [], "post", OFFICE, 302),
    "appraisal:cadres": (lambda w: [], "get", CADRES, 200),
    "appraisal:cadre": (lambda w: [w.leader.pk], "get", CADRES, 200),
    "appraisal:cadre_action": (lambda w: [w.leader.pk], "post", frozenset({"organisation"}), 302),
}
# Routes on an object of one role's own: its owner gets the page, everyone else a 404.
OWNED_BY: dict[str, str] = {}
