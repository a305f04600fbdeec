"""The hand-worked round of tests/scoring/test_rounds.py, built in the database: five
townships, two leaves (60 and 40 points), confirmed December values, one evaluator group, a
bonus, a deduction and a veto, with the rules that make a quota cut the excellent grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kaohe.appraisal.models import Adjustment, Rating, RatingGroup
from kaohe.org.models import Unit
from kaohe.reporting.models import ProgressReport, Target
from kaohe.schemes.models import Indicator, IndicatorPoints, SchemeCategory
from tests.factories import World

RULES: dict[str, Any] = {
    "components": {"own": 0.8, "rating": 0.2},
    "grades": [["优秀", 95], ["良好", 90], ["一般", 80], ["较差", None]],
    "quotas": {"优秀": {"share": 0.4}},
    "vetoes": {"major_accident": "良好"},
    "bonus_cap": 3,
    "deduction_cap": 10,
    "places": 2,
}
VALUES = {  # unit code: (A01 of 100, A02 of 50)
    "T01": (100, 50),
    "T02": (100, 50),
    "T03": (90, 50),
    "T04": (100, 45),
    "T05": (80, 50),
}
RATINGS = {
    "T01": [90, 92, 94],
    "T02": [96, 96, 96],
    "T03": [90, 90, 90],
    "T04": [100, 90, 95],
    "T05": [80, 80, 80],
}


def build_golden(world: World) -> dict[str, Unit]:
    county, scheme, category = world.county, world.scheme, world.category
    SchemeCategory.objects.create(scheme=scheme, category=category, total_points=Decimal(100))
    IndicatorPoints.objects.filter(indicator=world.leaf).update(points=Decimal(60))
    second = Indicator.objects.create(
        county=county,
        scheme=scheme,
        parent=world.root,
        code="A02",
        name="新增市场主体",
        level=2,
        position=3,
        frequency="monthly",
        assessor=world.assessor_unit,
        method={"kind": "completion_ratio"},
    )
    IndicatorPoints.objects.create(indicator=second, category=category, points=Decimal(40))
    units = {"T01": world.town, "T02": world.other_town}
    names = {"T03": "丙镇", "T04": "丁镇", "T05": "戊镇"}
    for code, name in names.items():
        units[code] = Unit.objects.create(
            county=county, code=code, name=name, kind="township", category=category
        )
    Target.objects.filter(indicator=world.leaf).update(annual_target=Decimal(100))
    december = world.months[11]
    for code, unit in units.items():
        for indicator, value, goal in (
            (world.leaf, VALUES[code][0], 100),
            (second, VALUES[code][1], 50),
        ):
            Target.objects.get_or_create(
                county=county,
                scheme=scheme,
                unit=unit,
                indicator=indicator,
                defaults={"annual_target": Decimal(goal)},
            )
            ProgressReport.objects.create(
                county=county,
                unit=unit,
                indicator=indicator,
                period=december,
                value=Decimal(value),
                status="confirmed",
            )
    group = RatingGroup.objects.create(
        county=county, scheme=scheme, code="leaders", name="县领导", weight=Decimal(1)
    )
    for code, points in RATINGS.items():
        for n, p in enumerate(points, start=1):
            Rating.objects.create(group=group, unit=units[code], evaluator=n, points=Decimal(p))
    day = dt.date(scheme.year, 11, 1)
    for code, kind, points, veto_code, reason in (
        ("T03", "bonus", 2, "", "省级表彰"),
        ("T05", "deduction", Decimal("1.5"), "", "信访扣分"),
        ("T02", "veto", 0, "major_accident", "较大安全事故"),
    ):
        Adjustment.objects.create(
            county=county,
            scheme=scheme,
            unit=units[code],
            kind=kind,
            code=veto_code,
            points=Decimal(points),
            reason=reason,
            on=day,
        )
    return units
