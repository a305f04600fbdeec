"""Build the demo county 保靖县 into the database: organisation, scheme, targets and a year of data.

Everything beyond the reference report's facts is synthetic (kaohe/demo/data.py says which) and
every page of a demo county says so. Values are deterministic: one seeded generator drives them,
so two builds on the same day give the same county.

The builder writes in bulk (tens of thousands of rows) inside one transaction and records one
audit event for the whole build; the warnings it stores are computed by the same
monitoring.warnings_compute that recomputes them after each approval.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.dashboard.models import PeerMetric, PeerStat
from kaohe.demo import data
from kaohe.demo import indicators as tree
from kaohe.demo.appraisal import demo_appraisal_build
from kaohe.demo.cadence_demo import demo_cadence_build
from kaohe.demo.history import demo_history_build
from kaohe.demo.platform_demo import demo_platform
from kaohe.demo.rules_demo import demo_round_rules
from kaohe.demo.schemes_demo import demo_schemes_build
from kaohe.demo.stages import demo_stages_build
from kaohe.demo.supervision import demo_supervision_build
from kaohe.monitoring.models import Warning
from kaohe.monitoring.services import warnings_compute
from kaohe.org.models import Cadre, Category, County, Role, Unit, User
from kaohe.reporting.calendar import periods_create
from kaohe.reporting.models import Period, ProgressReport, ReportStatus, ScheduleKind, Target
from kaohe.schemes.models import (
    DataItem,
    Indicator,
    IndicatorPoints,
    Scheme,
    SchemeCategory,
    SourceIndicator,
)

DEMO_PASSWORD = "Kaohe@2026"  # noqa: S105 - the demo's published password, printed on purpose
SEED = 2022
# Units of measure that count whole things: targets and values are whole numbers.
COUNTED = frozenset({"个", "项", "户", "人", "人次", "件", "篇", "起", "家", "次", "所", "座"})

# One account per role: (user name, display name, role, unit code or None, leader code or None)
ACCOUNTS: list[tuple[str, str, str, str | None, str | None]] = [
    ("office", "绩效办 演示账号", Role.OFFICE, data.PERFORMANCE_OFFICE_CODE, None),
    ("assessor", "", Role.ASSESSOR, None, None),  # the assessing department of the demo's indicator
    ("unit", "迁陵镇 填报员", Role.UNIT, "T01", None),
    ("leader", "", Role.LEADER, None, "L04"),
    ("supervisor", "县委督查室 演示账号", Role.SUPERVISOR, "S01", None),
    ("organisation", "县委组织部 演示账号", Role.ORGANISATION, data.ORGANISATION_CODE, None),
    ("sysadmin", "系统管理员", Role.SYSADMIN, None, None),
    ("secadmin", "安全管理员", Role.SECADMIN, None, None),
    ("auditadmin", "审计管理员", Role.AUDITADMIN, None, None),
]


# Data items (数据项) the units report, and the indicators computed from them by formula (by the
# leaf's English name). FAI feeds two indicators: a figure entered once serves both.
DATA_ITEMS = [
    ("IVA", "规模以上工业增加值", "Industrial value added", "亿元", True),
    ("IVA_LAST", "上年同期规模以上工业增加值", "Same period last year", "亿元", True),
    ("RETAIL", "社会消费品零售总额", "Retail sales", "亿元", True),
    ("RETAIL_LAST", "上年同期社会消费品零售总额", "Same period last year", "亿元", True),
    ("FAI", "固定资产投资", "Fixed-asset investment", "亿元", True),
    ("FAI_LAST", "上年同期固定资产投资", "Same period last year", "亿元", True),
    ("IND_INV", "产业投资", "Industrial investment", "亿元", True),
]
FORMULAS = {
    "Growth of value added of industry above designated size": "(IVA - IVA_LAST) / IVA_LAST * 100",
    "Growth of retail sales of consumer goods": "(RETAIL - RETAIL_LAST) / RETAIL_LAST * 100",
    "Growth of fixed-asset investment": "(FAI - FAI_LAST) / FAI_LAST * 100",
    "Share of industrial investment in fixed-asset investment": "IND_INV / FAI * 100",
}


@dataclass(frozen=True)
class DemoSummary:
    county: County
    accounts: list[tuple[str, str, str]]  # user name, role label, unit or cadre
    counts: dict[str, int]


def demo_exists() -> bool:
    return County.objects.filter(code=data.COUNTY.code).exists()


_KIND_OF_FREQUENCY = {
    "weekly": "month",
    "monthly": "month",
    "quarterly": "quarter",
    "half": "half",
    "yearly": "year",
}


# Methods whose value is a count of events (a deduction per accident, points per media report,
# defects an assessor's checklist finds).
EVENT_METHODS = frozenset({"deduction", "per_event_points", "checklist"})
# A report stays in review (approved, submitted or returned) this long after its period ends;
# the office has confirmed the older ones.
REVIEW_DAYS = 45
# Units of a category that work ahead of the others (the first places a round has to share).
STRONG_UNITS = 2


def _value(target: float, share: float, pace: float, leaf: tree.Indicator) -> float:
    """A plausible value: cumulative amounts grow with the schedule at the unit's pace."""
    method = leaf.method
    if method.get("all_or_nothing"):
        # A bottom line (兜底保障) that most units meet: they work to it, a few fall short.
        pace += 0.04
    if method["kind"] == "efficacy_coefficient":
        # Around the target, over the band from the not-allowed to the satisfactory value: a
        # pace 10% off moves a fifth of the band.
        width = abs(float(method["satisfactory"]) - float(method["not_allowed"]))
        value = target + 2 * (pace - 1.0) * width * (1 if leaf.higher_is_better else -1)
    elif leaf.higher_is_better:
        value = target * (share if leaf.cumulative else 1.0) * pace
    else:
        # Lower is better (a ceiling): a good pace keeps well under it.
        value = target * (share if leaf.cumulative else 1.0) * (2.0 - pace) * 0.9
    if _bounded_rate(leaf):
        value = min(value, 100.0)
    return max(value, 0.0)


def _bounded_rate(leaf: tree.Indicator) -> bool:
    """A share of a whole (coverage, pass rate): never over 100%, unlike growth or completion."""
    return leaf.unit_of_measure == "%" and not any(
        word in leaf.name for word in ("增速", "完成率", "进度", "下降率")
    )


def _event_days(
    rng: random.Random, target: float, pace: float, leaf: tree.Indicator, year_days: int
) -> list[int]:
    """The days of the year (0-based) on which a unit's events of a counted leaf happen: a
    Poisson number of them, on days drawn at random. Media reports (higher is better) come
    at the unit's pace towards its target; accidents and petitions (lower is better) at the
    leaf's yearly rate, fewer for a unit at a good pace."""
    if leaf.higher_is_better:
        expected = target * pace
    else:
        expected = (leaf.demo_events or 0.5) * max(2.0 - pace, 0.0) ** 3
    # Knuth's method: the count of uniform draws whose product stays above e^-expected.
    count, product, limit = 0, rng.random(), math.exp(-expected)
    while product > limit:
        count += 1
        product *= rng.random()
    return sorted(rng.randrange(year_days) for _ in range(count))


def _milestones(leaf: tree.Indicator, periods: list[Period]) -> list[list[Any]]:
    """A cumulative amount reported by quarter or half year is due by node (节点目标): a quarter
    of the year's target each quarter, half each half year ("时间过半、任务过半"), so the value a
    unit last reported meets the share due at its period's end until the next period ends.
    Monthly amounts keep the linear schedule; rates and levels have none."""
    if not leaf.cumulative or leaf.frequency not in ("quarterly", "half"):
        return []
    ends = sorted(p.end for p in periods)
    return [[end.isoformat(), round((n + 1) / len(ends), 4)] for n, end in enumerate(ends)]


def _paces(rng: random.Random) -> dict[str, float]:
    """Each assessed unit's pace: around 1, and a few strong units ahead in each category."""
    pace = {u.code: rng.uniform(0.9, 1.1) for u in data.UNITS}
    for cat in data.CATEGORIES:
        members = [u.code for u in data.units_in_category(cat.code)]
        for code in rng.sample(members, STRONG_UNITS):
            pace[code] = rng.uniform(1.08, 1.14)
    return pace


@transaction.atomic
def demo_build(*, today: dt.date | None = None, password: str = DEMO_PASSWORD) -> DemoSummary:
    """Build the demo county for the current year, with data up to the last month that ended."""
    today = today or timezone.localdate()
    year = today.year
    rng = random.Random(SEED)  # noqa: S311 - synthetic, deterministic demo values, not secrets
    c = data.COUNTY
    county = County.objects.create(
        code=c.code,
        name=c.name,
        short_name=c.short_name,
        prefecture=c.prefecture,
        prefecture_code=c.prefecture_code,
        province=c.province,
        is_demo=True,
    )
    County.objects.bulk_create(
        County(
            code=p.code,
            name=p.name,
            short_name=p.short_name,
            prefecture=p.prefecture,
            prefecture_code=p.prefecture_code,
            province=p.province,
            is_hosted=False,
            is_demo=True,
        )
        for p in data.PEERS
    )
    categories = {
        cat.code: Category.objects.create(
            county=county, code=cat.code, name=cat.name, name_en=cat.name_en, kind=cat.kind
        )
        for cat in data.CATEGORIES
    }
    units = {
        u.code: Unit(
            county=county,
            code=u.code,
            name=u.name,
            kind=u.kind,
            category=categories.get(u.category_code or ""),
            is_assessed=u.assessed,
            is_assessing=u.assessing,
            is_supervision=u.supervision,
        )
        for u in data.UNITS
    }
    Unit.objects.bulk_create(units.values())
    leaders = {
        le.code: Cadre(
            county=county,
            code=le.code,
            name=le.name,
            post=le.post,
            rank=le.rank,
            is_county_leader=True,
            portfolio=le.portfolio,
        )
        for le in data.LEADERS
    }
    Cadre.objects.bulk_create(leaders.values())
    Cadre.objects.bulk_create(
        Cadre(
            county=county,
            code=cd.code,
            name=cd.name,
            unit=units[cd.unit_code],
            post=cd.post,
            rank=cd.rank,
        )
        for cd in data.CADRES
    )

    scheme = Scheme.objects.create(
        county=county,
        year=year,
        name=f"{c.name}{year}年度绩效考核实施方案（演示）",
        status="published",
        is_demo=True,
    )
    SchemeCategory.objects.bulk_create(
        SchemeCategory(scheme=scheme, category=categories[cat.code], total_points=cat.total_points)
        for cat in data.CATEGORIES
    )
    SourceIndicator.objects.bulk_create(
        SourceIndicator(county=county, scheme=scheme, code=src.code, name=src.name)
        for src in tree.SOURCE_INDICATORS
    )
    nodes: dict[str, Indicator] = {}
    for position, ind in enumerate(tree.INDICATORS, start=1):
        node = Indicator.objects.create(
            county=county,
            scheme=scheme,
            parent=nodes.get(ind.parent_code or ""),
            code=ind.code,
            name=ind.name,
            name_en=ind.name_en,
            level=ind.level,
            position=position,
            unit_of_measure=ind.unit_of_measure,
            higher_is_better=ind.higher_is_better,
            cumulative=ind.cumulative,
            frequency=ind.frequency if ind.is_leaf else "yearly",
            assessor=units.get(ind.assessor_code or ""),
            leader=leaders.get(ind.leader_code or ""),
            source_code=ind.source_code,
            method=ind.method_json() if ind.is_leaf else {},
            formula=FORMULAS.get(ind.name_en, "") if ind.is_leaf else "",
        )
        nodes[ind.code] = node
    DataItem.objects.bulk_create(
        DataItem(
            county=county, scheme=scheme, code=a, name=b, name_en=c, unit_of_measure=d, cumulative=e
        )
        for a, b, c, d, e in DATA_ITEMS
    )
    IndicatorPoints.objects.bulk_create(
        IndicatorPoints(
            indicator=nodes[leaf.code], category=categories[cat], points=Decimal(str(pts))
        )
        for leaf in tree.leaves()
        for cat, pts in leaf.points.items()
    )
    periods = periods_create(scheme=scheme, actor="demo")
    by_kind: dict[str, list[Period]] = {}
    for p in periods:
        by_kind.setdefault(p.kind, []).append(p)

    # Each unit works at its own pace, and each of its indicators around it: some lag.
    pace_of_unit = _paces(rng)
    targets: list[Target] = []
    reports: list[ProgressReport] = []
    year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    for leaf in tree.leaves():
        low, high = leaf.demo_target or (100.0, 100.0)
        counted = leaf.unit_of_measure in COUNTED or leaf.method_kind in EVENT_METHODS
        milestones = _milestones(leaf, by_kind[_KIND_OF_FREQUENCY[leaf.frequency]])
        for u in data.UNITS:
            if not u.assessed or u.category_code not in leaf.points:
                continue
            goal = round(rng.uniform(low, high), 0 if counted else 2)
            targets.append(
                Target(
                    county=county,
                    scheme=scheme,
                    unit=units[u.code],
                    indicator=nodes[leaf.code],
                    annual_target=Decimal(str(goal)),
                    schedule=ScheduleKind.MILESTONES if milestones else ScheduleKind.LINEAR,
                    milestones=milestones,
                )
            )
            pace = pace_of_unit[u.code] * rng.uniform(0.93, 1.07)
            ended = [p for p in by_kind[_KIND_OF_FREQUENCY[leaf.frequency]] if p.end < today]
            # A counted leaf's value is the number of events so far this year.
            events = (
                _event_days(rng, goal, pace, leaf, year_days)
                if leaf.method_kind in EVENT_METHODS
                else None
            )
            best = 0.0
            for n, period in enumerate(ended):
                day = (period.end - dt.date(year, 1, 1)).days
                share = (day + 1) / year_days
                if events is not None:
                    value = float(sum(1 for d in events if d <= day))
                else:
                    value = _value(goal, share, pace * rng.uniform(0.97, 1.03), leaf)
                if counted:
                    value = float(round(value))
                if leaf.cumulative and leaf.higher_is_better:
                    value = best = max(best, value)  # a cumulative amount never falls
                last = n == len(ended) - 1
                status = ReportStatus.CONFIRMED
                if last and (today - period.end).days <= REVIEW_DAYS:
                    status = rng.choices(
                        [ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED],
                        [6, 3, 1],
                    )[0]
                reports.append(
                    ProgressReport(
                        county=county,
                        unit=units[u.code],
                        indicator=nodes[leaf.code],
                        period=period,
                        value=Decimal(str(round(value, 2))),
                        note="演示数据",
                        status=status,
                        review_note="请补充佐证材料（演示）"
                        if status == ReportStatus.RETURNED
                        else "",
                        is_late=rng.random() < 0.06,
                        submitted_at=timezone.make_aware(
                            dt.datetime.combine(period.end + dt.timedelta(days=3), dt.time(9))
                        ),
                    )
                )
    Target.objects.bulk_create(targets, batch_size=2000)
    ProgressReport.objects.bulk_create(reports, batch_size=2000)

    # The colour of every unit and indicator at the end of each of its periods so far (a
    # quarterly indicator at quarter ends): the year's history, as approvals would have left it.
    approved = {ReportStatus.APPROVED, ReportStatus.CONFIRMED}
    by_leaf: dict[int, list[ProgressReport]] = {}
    for r in reports:
        if r.status in approved:
            by_leaf.setdefault(r.indicator.pk, []).append(r)
    goals_by_leaf: dict[int, list[tuple[int, Decimal]]] = {}
    profiles_by_leaf: dict[int, dict[int, list[Any]]] = {}
    for t in targets:
        goals_by_leaf.setdefault(t.indicator.pk, []).append((t.unit.pk, t.annual_target))
        profiles_by_leaf.setdefault(t.indicator.pk, {})[t.unit.pk] = t.profile
    warnings: list[Warning] = []
    for leaf in tree.leaves():
        node = nodes[leaf.code]
        rows = sorted(by_leaf.get(node.pk, []), key=lambda r: r.period.end)
        ends = [p.end for p in by_kind[_KIND_OF_FREQUENCY[leaf.frequency]] if p.end < today]
        for as_of in ends:
            latest: dict[int, Decimal | None] = {}
            for r in rows:
                if r.period.end <= as_of:
                    latest[r.unit.pk] = r.value
            warnings.extend(
                warnings_compute(
                    indicator=node,
                    scheme=scheme,
                    as_of=as_of,
                    targets=goals_by_leaf.get(node.pk, []),
                    values=latest,
                    profiles=profiles_by_leaf.get(node.pk),
                )
            )
    Warning.objects.bulk_create(warnings, batch_size=2000)
    # Synthetic earlier years (labelled so) and the forecast of each latest warning.
    demo_history_build(scheme=scheme)

    _peer_stats(county)
    summary_accounts = _accounts(county, units, leaders, nodes, password)
    demo_appraisal_build(scheme=scheme, today=today)
    # Version 2 of the annual round rules, saved as the rules page saves it.
    demo_round_rules(scheme=scheme)
    demo_supervision_build(scheme=scheme, today=today)
    # The cadence's schedules, a failed run and its retry (kaohe.demo.cadence_demo).
    demo_cadence_build(scheme=scheme, today=today)
    # The lists, evidence, bulletins and the closed earlier year (kaohe.demo.stages).
    demo_stages_build(scheme=scheme, today=today)
    # An amendment saved as the designer saves it, and next year's draft (kaohe.demo.schemes_demo).
    demo_schemes_build(scheme=scheme)
    # The server's own administrators, who bring in further counties.
    summary_accounts += demo_platform(password=password)
    counts = {
        "units": len(units),
        "indicators": len(nodes),
        "leaves": len(tree.leaves()),
        "targets": len(targets),
        "reports": len(reports),
        "warnings": len(warnings),
    }
    audit_record(
        actor="demo",
        action="demo.build",
        county_code=county.code,
        object_type="county",
        object_id=county.pk,
        after=counts,
    )
    return DemoSummary(county, summary_accounts, counts)


def _peer_stats(county: County) -> None:
    """The prefecture's statistics: Baojing's from the 2022 report, the peers' synthetic."""
    metrics = {
        m.code: PeerMetric.objects.create(
            prefecture_code=county.prefecture_code,
            code=m.code,
            name=m.name,
            name_en=m.name_en,
            unit_of_measure=m.unit_of_measure,
            higher_is_better=m.higher_is_better,
            position=n,
        )
        for n, m in enumerate(data.PEER_METRICS)
    }
    counties = {c.code: c for c in County.objects.filter(prefecture_code=county.prefecture_code)}
    PeerStat.objects.bulk_create(
        PeerStat(
            metric=metrics[s.metric_code],
            county=counties[s.county_code],
            period=data.PEER_PERIOD,
            value=Decimal(str(s.value)),
            synthetic=s.synthetic,
        )
        for s in data.PEER_STATS
    )


def _accounts(
    county: County,
    units: dict[str, Unit],
    leaders: dict[str, Cadre],
    nodes: dict[str, Indicator],
    password: str,
) -> list[tuple[str, str, str]]:
    # The assessor account belongs to the department that checks the first monthly indicator of
    # the demo township, so the walking chain (unit submits, assessor approves) meets.
    town = units["T01"]
    first = next(
        leaf
        for leaf in tree.leaves()
        if leaf.frequency == "monthly"
        and town.category is not None
        and town.category.code in leaf.points
    )
    assessor_unit = nodes[first.code].assessor
    out = []
    for username, display, role, unit_code, leader_code in ACCOUNTS:
        unit = units[unit_code] if unit_code else (assessor_unit if role == Role.ASSESSOR else None)
        cadre = leaders[leader_code] if leader_code else None
        user = User(
            username=username,
            display_name=display
            or (f"{unit.name} 演示账号" if unit else cadre.name if cadre else username),
            county=county,
            role=role,
            unit=unit,
            cadre=cadre,
        )
        user.set_password(password)
        user.save()
        where = unit.name if unit else (f"{cadre.name}（{cadre.post}）" if cadre else "")
        out.append((username, str(Role(role).label), where))
    return out
