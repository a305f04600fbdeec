"""The demo county's closed earlier year: last year's scheme (a copy of this year's, published),
each unit's confirmed year-end values, the final annual round with an upheld and a rejected
appeal, the awards and the cadre decisions resting on it, and the scheme closed. All
SYNTHETIC, as the rest of the demo.

Only the year-end values of last year are in the demo (as a county keeps its archive of a past
year): a cumulative amount is the December value of the synthetic history
(kaohe.demo.history), so the forecast's earlier years and last year's result agree; a rate or
level is drawn with this year's value model at the year's end. With no quarterly rounds kept,
last year's annual round weighs its own indicators, the prefecture's results and the
evaluators' ratings (its rules are recorded on the round).

Written through the services (scheme copy, publish and close; round compute, publish,
appeals, finalise; awards; cadre decisions), so statuses, numbers and the audit trail are what
real use leaves; the targets and year-end reports are written in bulk under one audit event.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaohe.appraisal.applications import awards_apply, cadre_action_record
from kaohe.appraisal.inputs import rules_for
from kaohe.appraisal.models import Round, RoundResult
from kaohe.appraisal.services import (
    adjustment_add,
    appeal_file,
    appeal_resolve,
    round_compute,
    round_finalise,
    round_publish,
)
from kaohe.audit.services import audit_record
from kaohe.demo import indicators as tree
from kaohe.demo.appraisal import demo_ballots, demo_higher_results
from kaohe.demo.files import text_pdf
from kaohe.monitoring.models import HistoricalValue
from kaohe.org.models import Cadre, Role, Unit, User
from kaohe.reporting.calendar import periods_create
from kaohe.reporting.models import Period, ProgressReport, ReportStatus, Target
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.services import scheme_close, scheme_copy, scheme_publish

SYNTHETIC = "（演示数据，虚构）"
# Last year's annual round: no quarterly rounds are kept, so their weight goes to the year's
# own indicators.
COMPONENTS = {"own": 0.7, "higher": 0.1, "rating": 0.2}
# Performance-pay coefficients by grade (绩效奖励系数), synthetic.
COEFFICIENTS = {"优秀": Decimal("1.20"), "良好": Decimal("1.00"), "一般": Decimal("0.90")}
LOW_COEFFICIENT = Decimal("0.80")
# The two towns the 2022 report names as awarded collective merit, preferred when excellent.
MERIT_TOWNS = ("吕洞山镇", "清水坪镇")
NOTICE_DAYS = 7
# The period a leaf of each frequency reports in, as the builder reports them.
_PERIOD_OF_FREQUENCY = {
    "weekly": "month",
    "monthly": "month",
    "quarterly": "quarter",
    "half": "half",
    "yearly": "year",
}


def _moved(milestones: list[Any], year: int) -> list[Any]:
    """This year's milestones on last year's calendar (the same days: they are quarter and
    half-year ends)."""
    return [[dt.date.fromisoformat(day).replace(year=year).isoformat(), s] for day, s in milestones]


def _year_end_values(
    scheme: Scheme, old: Scheme, rng: random.Random
) -> tuple[list[Target], list[ProgressReport]]:
    """Last year's targets and confirmed year-end reports of every unit's leaf."""
    # The value model of this year's reports (the builder's), at the year's end.
    from kaohe.demo.builder import COUNTED, EVENT_METHODS, _event_days, _value

    year = old.year
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    leaves = {i.code: i for i in Indicator.objects.filter(scheme=old, children__isnull=True)}
    last: dict[str, Period] = {}
    for p in Period.objects.filter(scheme=old).order_by("end"):
        last[p.kind] = p
    history = {
        (h.unit_id, h.indicator_code): h
        for h in HistoricalValue.objects.filter(county_id=scheme.county_id, year=year, month=12)
    }
    pace: dict[int, float] = {}
    targets, reports = [], []
    for t in (
        Target.objects.filter(scheme=scheme)
        .select_related("indicator")
        .order_by("indicator__position", "unit__code")
    ):
        leaf = tree.indicator(t.indicator.code)
        node = leaves[leaf.code]
        counted = leaf.unit_of_measure in COUNTED or leaf.method_kind in EVENT_METHODS
        past = history.get((t.unit_id, leaf.code))
        goal = float(past.target) if past and past.target is not None else float(t.annual_target)
        unit_pace = pace.setdefault(t.unit_id, rng.uniform(0.92, 1.08))
        leaf_pace = unit_pace * rng.uniform(0.95, 1.05)
        if leaf.method_kind in EVENT_METHODS:
            value = float(len(_event_days(rng, goal, leaf_pace, leaf, days)))
        elif past is not None:
            value = float(past.value)
        else:
            value = _value(goal, 1.0, leaf_pace, leaf)
        if counted:
            value = float(round(value))
        period = last[_PERIOD_OF_FREQUENCY[leaf.frequency]]
        targets.append(
            Target(
                county_id=t.county_id,
                scheme=old,
                unit_id=t.unit_id,
                indicator=node,
                annual_target=Decimal(str(round(goal, 2))),
                schedule=t.schedule,
                milestones=_moved(t.milestones, year) if t.milestones else [],
            )
        )
        reports.append(
            ProgressReport(
                county_id=t.county_id,
                unit_id=t.unit_id,
                indicator=node,
                period=period,
                value=Decimal(str(round(value, 2))),
                note="演示数据（上年度年末值）",
                status=ReportStatus.CONFIRMED,
                submitted_at=_at(period.end + dt.timedelta(days=3)),
                confirmed_at=_at(period.end + dt.timedelta(days=20)),
            )
        )
    Target.objects.bulk_create(targets, batch_size=2000)
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    return targets, reports


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _adjustments(office: User, old: Scheme, units: list[Unit]) -> None:
    """Last year's bonus, deduction and veto events, entered by the office as they happened."""
    towns = sorted((u for u in units if u.kind == "township"), key=lambda u: u.code)
    departments = sorted((u for u in units if u.kind != "township"), key=lambda u: u.code)
    for unit, kind, points, code, reason, on in (
        (towns[6], "bonus", "2", "", "获评省级乡村振兴示范乡镇", (5, 20)),
        (towns[3], "deduction", "2", "", "中央环保督察反馈问题整改不到位", (8, 12)),
        (departments[20], "veto", "0", "discipline", "领导班子成员发生违纪案件", (10, 9)),
    ):
        adjustment_add(
            user=office,
            scheme=old,
            unit=unit,
            kind=kind,
            points=Decimal(points),
            code=code,
            reason=reason + SYNTHETIC,
            on=dt.date(old.year, *on),
        )


def _appeals(rnd: Round, office: User, unit_user: User, start: dt.date) -> int:
    """The demo unit appeals twice in the notice period: a mis-entered year-end value, upheld
    with its numbered amendment; then its evaluators' rating, rejected."""
    assert unit_user.unit_id is not None
    value_of = {(row[0], row[1]): (row[2], row[3]) for row in rnd.inputs["values"]}
    methods = {i["id"]: i for i in rnd.inputs["indicators"]}
    # Amounts have a history to agree with, formulas their data items: neither is corrected.
    excluded = set(
        Indicator.objects.filter(scheme=rnd.scheme, cumulative=True).values_list("pk", flat=True)
    ) | set(
        Indicator.objects.filter(scheme=rnd.scheme).exclude(formula="").values_list("pk", flat=True)
    )
    category = next(u["category"] for u in rnd.inputs["units"] if u["id"] == unit_user.unit_id)
    # A plain completion-ratio leaf of its own short of its target, the one where meeting the
    # target weighs most.
    candidates = sorted(
        (
            (-(1 - value / target) * methods[ind_id]["points"].get(category, 0), ind_id, target)
            for (unit_id, ind_id), (value, target) in value_of.items()
            if unit_id == unit_user.unit_id
            and value is not None
            and target
            and 0 < value < target
            and methods[ind_id]["method"].get("kind") == "completion_ratio"
            and methods[ind_id]["higher_is_better"]
            and ind_id not in excluded
        ),
    )
    if not candidates:
        return 0
    _gain, indicator_id, target = candidates[0]
    indicator = Indicator.objects.select_related("assessor").get(pk=indicator_id)
    checker = indicator.assessor.name if indicator.assessor else "考核责任部门"
    certificate = SimpleUploadedFile(
        f"{checker}数据核实证明（演示）.pdf",
        text_pdf(
            [
                "Kaohe demo county - synthetic evidence",
                f"Re-check of {indicator.code} for unit {unit_user.unit.code}",  # type: ignore[union-attr]
                f"Year-end value confirmed by the assessing department: {target:g}",
            ]
        ),
        content_type="application/pdf",
    )
    upheld = appeal_file(
        user=unit_user,
        round=rnd,
        reason=f"{indicator.name}年末值报送时录入有误，经{checker}核实应为{target:g}"
        f"{indicator.unit_of_measure}，请予复核。{SYNTHETIC}",
        today=start + dt.timedelta(days=2),
        evidence=certificate,
    )
    appeal_resolve(
        user=office,
        appeal=upheld,
        uphold=True,
        resolution=f"经复核，{indicator.name}年末值以{checker}核实数为准，予以更正。",
        correction={
            "kind": "value",
            "unit": unit_user.unit_id,
            "indicator": indicator_id,
            "value": float(target),
        },
    )
    rejected = appeal_file(
        user=unit_user,
        round=rnd,
        reason=f"服务对象评议得分偏低，请求重新组织评议。{SYNTHETIC}",
        today=start + dt.timedelta(days=4),
    )
    appeal_resolve(
        user=office,
        appeal=rejected,
        uphold=False,
        resolution="评议按方案规定程序组织，去掉最高分和最低分后计算，程序合规，维持原结果。",
    )
    return 2


def _merit(rnd: Round) -> list[int]:
    """Collective merit: the two towns the report names when excellent, else the best two
    excellent townships."""
    excellent = list(
        rnd.results.filter(grade=rnd.rules["grades"][0][0], unit__kind="township")
        .select_related("unit")
        .order_by("rank", "-composite")
    )
    named = [r.unit_id for r in excellent if r.unit.name in MERIT_TOWNS]
    others = [r.unit_id for r in excellent if r.unit_id not in named]
    return (named + others)[:2]


def _cadre_decisions(rnd: Round, organisation: User, decided_on: dt.date) -> int:
    """Decisions about the principals of the units the year distinguished or failed."""
    results = {r.unit_id: r for r in rnd.results.select_related("unit")}
    principals: dict[int, Cadre] = {}
    for cadre in Cadre.objects.filter(county_id=rnd.county_id, unit__isnull=False).order_by("code"):
        principals.setdefault(cadre.unit_id, cadre)  # type: ignore[arg-type]
    ranked = sorted(results.values(), key=lambda r: (-r.composite, r.unit.code))
    plan: list[tuple[RoundResult, str]] = []
    top = [r for r in ranked if r.grade == "优秀"]
    for n, r in enumerate(top[:4]):
        plan.append((r, "promotion" if n < 2 else "further_use"))
    for r in [r for r in ranked if r.grade == "良好"][:2]:
        plan.append((r, "rank_raise"))
    for r in [r for r in ranked if r.grade in ("一般", "较差")][-2:]:
        plan.append((r, "reminder"))
    made = 0
    for r, kind in plan:
        principal = principals.get(r.unit_id)
        if principal is None:
            continue
        cadre_action_record(
            user=organisation,
            cadre=principal,
            kind=kind,
            year=rnd.scheme.year,
            results=[r],
            basis=f"{rnd.scheme.year}年度考核{r.unit.name}第{r.rank}名，{r.grade}" + SYNTHETIC,
            decided_on=decided_on,
        )
        made += 1
    return made


def demo_closed_year_build(*, scheme: Scheme, today: dt.date, seed: int = 2025) -> dict[str, int]:
    """Build last year, closed, as it stands on ``today`` (its results applied in January)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values, not secrets
    county_id = scheme.county_id
    office = User.objects.get(county_id=county_id, role=Role.OFFICE, username="office")
    organisation = User.objects.get(county_id=county_id, role=Role.ORGANISATION)
    unit_user = User.objects.filter(county_id=county_id, role=Role.UNIT, username="unit").first()
    old = scheme_copy(user=office, scheme=scheme, year=scheme.year - 1)
    old = scheme_publish(user=office, scheme=old)
    periods_create(scheme=old, actor=office)
    targets, reports = _year_end_values(scheme, old, rng)
    units = list(Unit.objects.filter(county_id=county_id, is_assessed=True))
    demo_ballots(old, units, rng)
    audit_record(
        actor="demo",
        action="demo.closed_year",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=old.pk,
        after={"year": old.year, "targets": len(targets), "reports": len(reports)},
    )
    demo_higher_results(office, old, rng, Decimal("92.80"), 2, f"州对县市区{old.year}年度绩效考核")
    _adjustments(office, old, units)
    # The closing weeks of January; earlier when the demo is built in them.
    start = min(dt.date(scheme.year, 1, 8), today - dt.timedelta(days=24))
    rules = rules_for(old, "annual") | {"components": COMPONENTS}
    rnd = round_compute(user=office, scheme=old, kind="annual", number=0, rules=rules)
    rnd = round_publish(user=office, round=rnd, notice_days=NOTICE_DAYS, today=start)
    appeals = _appeals(rnd, office, unit_user, start) if unit_user else 0
    rnd = round_finalise(user=office, round=rnd, today=start + dt.timedelta(days=NOTICE_DAYS + 1))
    grades = [g for g, _min in rnd.rules["grades"]]
    coefficients = {g: COEFFICIENTS.get(g, LOW_COEFFICIENT) for g in grades}
    awards = awards_apply(
        user=office,
        round=rnd,
        coefficients=coefficients,
        merit_units=_merit(rnd),
        decided_on=start + dt.timedelta(days=14),
    )
    decisions = _cadre_decisions(rnd, organisation, start + dt.timedelta(days=22))
    scheme_close(user=office, scheme=old)
    return {
        "closed_year_reports": len(reports),
        "appeals": appeals,
        "awards": len(awards),
        "cadre_decisions": decisions,
    }
