"""The demo county's appraisal: the quarters that have ended, scored, published and final;
evaluators' ballots, the prefecture's results and a few adjustments (all synthetic, labelled
so); the annual round computed as a preview for the office to publish; and some decisions
about cadres resting on the final quarterly results."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kaohe.appraisal.applications import cadre_action_record
from kaohe.appraisal.inputs import quarter_dates
from kaohe.appraisal.models import Adjustment, Rating, RatingGroup, RoundResult
from kaohe.appraisal.ratings import higher_result_save
from kaohe.appraisal.services import round_compute, round_finalise, round_publish
from kaohe.org.models import Cadre, Role, Unit, User
from kaohe.schemes.models import Scheme

GROUPS = [
    ("leaders", "县领导评议", "0.3"),
    ("peers", "单位互评", "0.4"),
    ("public", "服务对象评议", "0.3"),
]
SYNTHETIC = "（演示数据，虚构）"


def demo_higher_results(
    office: User, scheme: Scheme, rng: random.Random, overall: Decimal, rank: int, title: str
) -> None:
    """The prefecture's results for the county: overall, and for twelve of its indicators."""
    higher_result_save(
        user=office,
        scheme=scheme,
        source=None,
        score=overall,
        prefecture_rank=rank,
        note=title + SYNTHETIC,
    )
    for source in scheme.source_indicators.order_by("code")[:12]:
        higher_result_save(
            user=office,
            scheme=scheme,
            source=source,
            score=Decimal(f"{rng.uniform(80, 100):.2f}"),
            prefecture_rank=rng.randint(1, 8),
            note=SYNTHETIC,
        )


def demo_ballots(scheme: Scheme, units: list[Unit], rng: random.Random) -> None:
    """The evaluators' ballots of a year (民主测评), synthetic, in bulk."""
    for code, name, weight in GROUPS:
        group = RatingGroup.objects.create(
            county_id=scheme.county_id,
            scheme=scheme,
            code=code,
            name=name,
            weight=Decimal(weight),
            drop_extremes=code != "leaders",
        )
        evaluators = 7 if code == "leaders" else 15
        ratings = []
        for unit in units:
            centre = rng.uniform(82, 96)
            for n in range(1, evaluators + 1):
                points = min(100.0, max(60.0, rng.gauss(centre, 4)))
                ratings.append(
                    Rating(group=group, unit=unit, evaluator=n, points=Decimal(f"{points:.0f}"))
                )
        Rating.objects.bulk_create(ratings)


def demo_appraisal_build(*, scheme: Scheme, today: dt.date, seed: int = 2026) -> None:
    """Build the demo's rounds; quarters count only once they ended before ``today``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values, not secrets
    office = User.objects.get(county_id=scheme.county_id, role=Role.OFFICE, username="office")
    organisation = User.objects.get(county_id=scheme.county_id, role=Role.ORGANISATION)
    units = list(Unit.objects.filter(county_id=scheme.county_id, is_assessed=True))
    demo_ballots(scheme, units, rng)
    demo_higher_results(office, scheme, rng, Decimal("93.60"), 1, "州对县市区年度绩效考核")
    towns = [u for u in units if u.kind == "township"]
    for unit, kind, points, code, reason in (
        (towns[1], "bonus", "2", "", "获省级表彰" + SYNTHETIC),
        (towns[4], "deduction", "1.5", "", "群众信访问题办理超时" + SYNTHETIC),
        (towns[7], "veto", "0", "major_accident", "发生较大安全生产事故" + SYNTHETIC),
    ):
        Adjustment.objects.create(
            county_id=scheme.county_id,
            scheme=scheme,
            unit=unit,
            kind=kind,
            code=code,
            points=Decimal(points),
            reason=reason,
            on=dt.date(scheme.year, 6, 15),
        )
    finals = []
    for quarter in range(1, 5):
        _start, end = quarter_dates(scheme.year, quarter)
        if end + dt.timedelta(days=20) >= today:
            break
        rnd = round_compute(
            user=office, scheme=scheme, kind="quarterly", number=quarter, today=today
        )
        rnd = round_publish(user=office, round=rnd, notice_days=5, today=end + dt.timedelta(10))
        finals.append(round_finalise(user=office, round=rnd, today=end + dt.timedelta(days=16)))
    if not finals:
        return
    round_compute(user=office, scheme=scheme, kind="annual", number=0, as_of=today, today=today)
    latest = finals[-1]
    decided = min(today, dt.date(scheme.year, 11, 20))
    for cadre in Cadre.objects.filter(county_id=scheme.county_id, unit__isnull=False)[:4]:
        result = RoundResult.objects.filter(round=latest, unit=cadre.unit).first()
        if result is None:
            continue
        kind = {"优秀": "further_use", "较差": "reminder"}.get(result.grade, "rank_raise")
        cadre_action_record(
            user=organisation,
            cadre=cadre,
            kind=kind,
            year=scheme.year,
            results=[result],
            basis=f"第{latest.number}季度考评第{result.rank}名，{result.grade}" + SYNTHETIC,
            decided_on=decided,
        )
