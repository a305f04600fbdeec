"""Reads on reporting, each bounded in queries and filtered through reporting.access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaohe.org.access import Permission, county_id_of, require, unit_id_of
from kaohe.org.models import User
from kaohe.reporting.access import reports_visible
from kaohe.reporting.models import Period, PeriodKind, ProgressReport, ReportStatus, Target
from kaohe.reporting.workflow import EDITABLE
from kaohe.schemes.models import Frequency

# The year's four quarter themes (MISSION.md, "a closed loop over the year").
QUARTER_THEMES = {
    1: _("Q1: training and plans"),
    2: _("Q2: starting work and implementation"),
    3: _("Q3: rectification and filling gaps"),
    4: _("Q4: appraisal and improvement"),
}


#: The statuses whose value is in force: approved by the assessing department, or confirmed.
IN_FORCE = (ReportStatus.APPROVED, ReportStatus.CONFIRMED)


def _in_force(confirmed_only: bool) -> list[str]:
    return [ReportStatus.CONFIRMED] if confirmed_only else list(IN_FORCE)


def values_in_force(
    *,
    scheme_id: int | None = None,
    as_of: date | None = None,
    unit_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
    confirmed_only: bool = False,
) -> dict[tuple[int, int], Decimal | None]:
    """The value in force of each (unit, indicator): the latest approved or confirmed one (only
    confirmed ones with ``confirmed_only``, as a round takes them) of the periods ending on or
    before ``as_of``. The one place that answers "latest approved value"; one query.

    Callers pass units and indicators they may see (or a scheme they may read) and filter the
    result through their own access helpers.
    """
    qs = ProgressReport.objects.filter(status__in=_in_force(confirmed_only))
    if scheme_id is not None:
        qs = qs.filter(indicator__scheme_id=scheme_id)
    if as_of is not None:
        qs = qs.filter(period__end__lte=as_of)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    latest: dict[tuple[int, int], Decimal | None] = {}
    for unit_id, indicator_id, value in qs.order_by("period__end", "pk").values_list(
        "unit_id", "indicator_id", "value"
    ):
        latest[(unit_id, indicator_id)] = value  # ordered by period end: the last one wins
    return latest


def report_in_force(
    *, unit_id: int, indicator_id: int, as_of: date, confirmed_only: bool = False
) -> ProgressReport | None:
    """The report whose value ``values_in_force`` gives for one unit and indicator."""
    return (
        ProgressReport.objects.filter(
            unit_id=unit_id,
            indicator_id=indicator_id,
            period__end__lte=as_of,
            status__in=_in_force(confirmed_only),
        )
        .select_related("period")
        .order_by("-period__end", "-pk")
        .first()
    )


def quarter_theme(today: date) -> str:
    return str(QUARTER_THEMES[(today.month - 1) // 3 + 1])


# Which period kind an indicator of each frequency reports in.
PERIOD_OF_FREQUENCY = {
    Frequency.WEEKLY: PeriodKind.WEEK,
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.HALF: PeriodKind.HALF,
    Frequency.YEARLY: PeriodKind.YEAR,
}


@dataclass(frozen=True)
class DueItem:
    target: Target
    period: Period
    report: ProgressReport | None
    previous: ProgressReport | None = None

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status in EDITABLE

    @property
    def key(self) -> str:
        return f"{self.target.pk}-{self.period.pk}"

    @property
    def overdue(self) -> bool:
        return self.report is None or self.report.status in {
            ReportStatus.DRAFT,
            ReportStatus.RETURNED,
        }


def current_periods(*, county_id: int, today: date) -> dict[str, Period]:
    """For each period kind, the latest period open for submission today (start <= today)."""
    periods: dict[str, Period] = {}
    for period in (
        Period.objects.filter(county_id=county_id, start__lte=today, scheme__status="published")
        .select_related("scheme")
        .order_by("end")
    ):
        periods[period.kind] = period
    return periods


def due_list(*, user: User, today: date) -> list[DueItem]:
    """What the user's unit must report in the current periods, with any report already made
    and the last approved value before it (to pre-fill the grid).

    Four queries whatever the number of indicators.
    """
    require(user, Permission.REPORT_FILL)
    periods = current_periods(county_id=county_id_of(user), today=today)
    targets = list(
        Target.objects.filter(
            county_id=county_id_of(user), unit_id=unit_id_of(user), scheme__status="published"
        )
        .select_related("indicator")
        .order_by("indicator__position")
    )
    reports = {
        (r.indicator_id, r.period_id): r
        for r in ProgressReport.objects.filter(
            unit_id=unit_id_of(user), period__in=[p.pk for p in periods.values()]
        )
    }
    earliest = min((p.start for p in periods.values()), default=today)
    previous: dict[int, ProgressReport] = {}
    for r in (
        ProgressReport.objects.filter(
            unit_id=unit_id_of(user),
            status__in=[ReportStatus.APPROVED, ReportStatus.CONFIRMED],
            period__end__lt=today,
            period__start__gte=date(earliest.year, 1, 1),
        )
        .select_related("period")
        .order_by("period__end")
    ):
        previous[r.indicator_id] = r  # the latest period wins
    items = []
    for target in targets:
        period = periods.get(PERIOD_OF_FREQUENCY[Frequency(target.indicator.frequency)])
        if period is None:
            continue
        prior = previous.get(target.indicator_id)
        if prior is not None and prior.period_id == period.pk:
            prior = None
        items.append(DueItem(target, period, reports.get((target.indicator_id, period.pk)), prior))
    return items


def review_queue(
    *,
    user: User,
    status: str = ReportStatus.SUBMITTED,
    unit_id: int | None = None,
    indicator_id: int | None = None,
) -> QuerySet[ProgressReport]:
    """Reports on the indicators the assessor's department checks, filtered as asked
    (submitted ones by default: those waiting for review)."""
    require(user, Permission.REPORT_REVIEW)
    qs = reports_visible(user)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if indicator_id:
        qs = qs.filter(indicator_id=indicator_id)
    return (
        qs.select_related("unit", "indicator", "period")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )


def confirm_queue(*, user: User) -> QuerySet[ProgressReport]:
    """Approved reports waiting for the performance office to confirm them."""
    require(user, Permission.REPORT_CONFIRM)
    return (
        reports_visible(user)
        .filter(status=ReportStatus.APPROVED)
        .select_related("unit", "indicator", "period")
        .order_by("reviewed_at")
    )


def previous_value(
    *, report_unit_id: int, indicator_id: int, before: date
) -> ProgressReport | None:
    """The unit's value in force of the indicator just before a date (periods ending earlier)."""
    return report_in_force(
        unit_id=report_unit_id, indicator_id=indicator_id, as_of=before - timedelta(days=1)
    )


@dataclass(frozen=True)
class Completeness:
    unit_name: str
    due: int
    submitted: int
    approved: int
    late: int
    missing: int

    @property
    def share(self) -> float:
        return (self.submitted + self.approved) / self.due if self.due else 1.0


def completeness(*, user: User, period: Period) -> list[Completeness]:
    """Per assessed unit, for one period: reports due, in review, approved, late and missing.

    Three queries whatever the number of units: due counts come from the targets whose
    indicators report in the period's kind.
    """
    require(user, Permission.REPORT_CONFIRM)
    kinds = [f for f, k in PERIOD_OF_FREQUENCY.items() if k == period.kind]
    due: dict[int, int] = {}
    names: dict[int, str] = {}
    for unit_id, unit_name in Target.objects.filter(
        county_id=county_id_of(user), scheme_id=period.scheme_id, indicator__frequency__in=kinds
    ).values_list("unit_id", "unit__name"):
        due[unit_id] = due.get(unit_id, 0) + 1
        names[unit_id] = unit_name
    counts: dict[int, dict[str, int]] = {u: {"in_review": 0, "approved": 0, "late": 0} for u in due}
    for unit_id, status, late in ProgressReport.objects.filter(
        county_id=county_id_of(user), period=period
    ).values_list("unit_id", "status", "is_late"):
        c = counts.setdefault(unit_id, {"in_review": 0, "approved": 0, "late": 0})
        if status == ReportStatus.SUBMITTED:
            c["in_review"] += 1
        elif status in (ReportStatus.APPROVED, ReportStatus.CONFIRMED):
            c["approved"] += 1
        c["late"] += int(late)
    rows = []
    for unit_id, n in due.items():
        c = counts[unit_id]
        missing = max(n - c["in_review"] - c["approved"], 0)
        rows.append(
            Completeness(names[unit_id], n, c["in_review"], c["approved"], c["late"], missing)
        )
    return sorted(rows, key=lambda r: (r.share, r.unit_name))


def assessor_due(*, user: User, today: date) -> list[DueItem]:
    """Every unit's target on the indicators the assessing department owns, for the current
    periods, with any report already made (three queries)."""
    require(user, Permission.REPORT_REVIEW)
    periods = current_periods(county_id=county_id_of(user), today=today)
    targets = list(
        Target.objects.filter(
            county_id=county_id_of(user),
            indicator__assessor_id=unit_id_of(user),
            scheme__status="published",
        )
        .select_related("indicator", "unit")
        .order_by("indicator__position", "unit__code")
    )
    reports = {
        (r.unit_id, r.indicator_id, r.period_id): r
        for r in ProgressReport.objects.filter(
            indicator__assessor_id=unit_id_of(user), period__in=[p.pk for p in periods.values()]
        )
    }
    items = []
    for target in targets:
        period = periods.get(PERIOD_OF_FREQUENCY[Frequency(target.indicator.frequency)])
        if period is not None:
            report = reports.get((target.unit_id, target.indicator_id, period.pk))
            items.append(DueItem(target, period, report))
    return items
