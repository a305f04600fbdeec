"""The reporting calendar: a scheme's periods with their deadlines, and deadline reminders."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.org.models import County, Unit, User
from kaohe.org.services import notify
from kaohe.reporting.models import Period, PeriodKind, ProgressReport, ReportStatus, Target
from kaohe.schemes.models import Scheme

# Days between the submission deadline and the review deadline, after which the period locks.
REVIEW_DAYS = 10

# Days after a period's end by which its report is due: Kaohe's defaults (monthly by the 5th,
# quarterly by the 10th) until the scheme's calendar carries its own (issue 4).
DUE_AFTER_DAYS = {
    PeriodKind.WEEK: 2,
    PeriodKind.MONTH: 5,
    PeriodKind.QUARTER: 10,
    PeriodKind.HALF: 15,
    PeriodKind.YEAR: 20,
}


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def iso_weeks(year: int) -> list[tuple[int, dt.date, dt.date]]:
    """The ISO weeks of a year (number, Monday, Sunday): 52 or 53, the first holding 4 January.

    A week belongs to the year of its Thursday, so week 1 may start in late December and the last
    week may end in early January (ISO 8601).
    """
    monday = dt.date.fromisocalendar(year, 1, 1)
    weeks = []
    while monday.isocalendar()[0] == year:
        weeks.append((monday.isocalendar()[1], monday, monday + dt.timedelta(days=6)))
        monday += dt.timedelta(days=7)
    return weeks


def periods_of_year(*, scheme: Scheme) -> list[Period]:
    """The year's reporting periods (ISO weeks for the weekly push, 12 months, 4 quarters,
    2 halves, the year), unsaved."""
    year = scheme.year
    spans = [(PeriodKind.MONTH, m, m, m) for m in range(1, 13)]
    spans += [(PeriodKind.QUARTER, q, 3 * q - 2, 3 * q) for q in range(1, 5)]
    spans += [(PeriodKind.HALF, h, 6 * h - 5, 6 * h) for h in (1, 2)]
    spans += [(PeriodKind.YEAR, 1, 1, 12)]
    periods = []
    for kind, number, first, last in spans:
        end = month_end(year, last)
        periods.append(
            Period(
                county_id=scheme.county_id,
                scheme=scheme,
                kind=kind,
                number=number,
                start=dt.date(year, first, 1),
                end=end,
                due=end + dt.timedelta(days=DUE_AFTER_DAYS[kind]),
                review_due=end + dt.timedelta(days=DUE_AFTER_DAYS[kind] + REVIEW_DAYS),
            )
        )
    for number, monday, sunday in iso_weeks(year):
        periods.append(
            Period(
                county_id=scheme.county_id,
                scheme=scheme,
                kind=PeriodKind.WEEK,
                number=number,
                start=monday,
                end=sunday,
                due=sunday + dt.timedelta(days=DUE_AFTER_DAYS[PeriodKind.WEEK]),
                review_due=sunday
                + dt.timedelta(days=DUE_AFTER_DAYS[PeriodKind.WEEK] + REVIEW_DAYS),
            )
        )
    return periods


@transaction.atomic
def periods_create(*, scheme: Scheme, actor: object = None) -> list[Period]:
    """Create the scheme's reporting calendar for its year (once) and audit it."""
    periods = Period.objects.bulk_create(periods_of_year(scheme=scheme))
    audit_record(
        actor=actor or "system",
        action="periods.create",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=scheme.pk,
        after={"periods": len(periods)},
    )
    return periods


REMIND_DAYS_BEFORE = 3


def deadline_reminders(*, today: dt.date, county: County | None = None) -> int:
    """Remind units of reports due within three days, and of reports past their deadline.

    For each open period of a published scheme, units with targets reporting in it but no
    submitted report get one inbox message (and e-mail) per period and kind of reminder:
    re-running the job the same day, or the next, sends nothing twice. Returns the number sent.
    With `county`, only that county's periods (a county's weekly cadence job); without it,
    every county's (`kaohe deadline_reminders`).
    """
    from kaohe.reporting.selectors import PERIOD_OF_FREQUENCY

    sent = 0
    periods = Period.objects.filter(
        scheme__status="published", due__gte=today - dt.timedelta(days=60), start__lte=today
    ).select_related("scheme")
    if county is not None:
        periods = periods.filter(county=county)
    for period in periods:
        days_left = (period.due - today).days
        if 0 <= days_left <= REMIND_DAYS_BEFORE:
            kind = "deadline.approaching"
        elif days_left < 0 and (period.review_due is None or today <= period.review_due):
            kind = "deadline.missed"
        else:
            continue
        frequencies = [f for f, k in PERIOD_OF_FREQUENCY.items() if k == period.kind]
        expected = set(
            Target.objects.filter(
                scheme_id=period.scheme_id, indicator__frequency__in=frequencies
            ).values_list("unit_id", "indicator_id")
        )
        done = set(
            ProgressReport.objects.filter(
                period=period,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.CONFIRMED],
            ).values_list("unit_id", "indicator_id")
        )
        missing: dict[int, int] = {}
        for unit_id, _indicator in expected - done:
            missing[unit_id] = missing.get(unit_id, 0) + 1
        for unit in Unit.objects.filter(pk__in=missing):
            title = (
                _("%(n)d reports due by %(date)s")
                if kind == "deadline.approaching"
                else _("%(n)d reports past their deadline of %(date)s")
            ) % {"n": missing[unit.pk], "date": date_format(period.due, "DATE_FORMAT")}
            sent += len(
                notify(
                    users=User.objects.filter(unit=unit, role="unit"),
                    kind=kind,
                    key=f"{kind}:{period.pk}",
                    title=title,
                    url="/reports/grid/",
                )
            )
    return sent
