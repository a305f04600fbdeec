"""Bulk entry: an assessing department enters the data it owns for all units at once.

Thousands of rows arrive at once (a statistics bureau's workbook, or a data feed), so the rows
are checked in memory, then written in batches: existing reports are read in one locked query
per batch, new ones are created with one ``bulk_create`` and changed ones saved with one
``bulk_update``, and each batch records ONE audit event that names every row it wrote (report
id, unit, indicator, period, value and data items, and the value before). The approvals are
announced once the transaction commits, as one approval at a time would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.org.access import Permission, require
from kaohe.org.models import User
from kaohe.reporting.events import value_changed
from kaohe.reporting.items import compute, items_for, parse_number
from kaohe.reporting.models import Period, ProgressReport, ReportStatus, Target

BATCH = 2000
_WRITTEN = [
    "value",
    "items",
    "note",
    "status",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "review_note",
    "version",
]


@dataclass(frozen=True)
class EnteredRow:
    target: Target
    period: Period
    value: str
    note: str
    items: Mapping[str, Any] | None = None


def _checked(
    user: User, rows: Sequence[EnteredRow]
) -> tuple[list[tuple[EnteredRow, Decimal, dict[str, str]]], dict[str, list[str]]]:
    indicators = {row.target.indicator_id: row.target.indicator for row in rows}
    data_items = items_for(indicators.values())
    errors: dict[str, list[str]] = {}
    good = []
    for row in rows:
        target = row.target
        if target.indicator.assessor_id != user.unit_id or target.county_id != user.county_id:
            raise PermissionDenied
        key = f"{target.unit.code}-{target.indicator.code}"
        try:
            if target.indicator_id in data_items:
                value, items = compute(
                    target.indicator, data_items[target.indicator_id], row.items or {}
                )
            else:
                value, items = parse_number(row.value, "value"), {}
        except ValidationError as exc:
            errors[key] = exc.messages
            continue
        good.append((row, value, items))
    return good, errors


@transaction.atomic
def reports_enter_by_assessor(
    *, user: User, rows: Sequence[EnteredRow], batch_size: int = BATCH
) -> list[ProgressReport]:
    """An assessing department enters data it owns (e.g. statistics) for all units at once.

    The values are approved as entered: the department is the source and the reviewer. Only
    indicators the department assesses; confirmed data is left alone (the office reopens it).
    Every row is entered or none: a problem raises a ValidationError keyed by ``unit-indicator``.
    """
    require(user, Permission.REPORT_REVIEW)
    good, errors = _checked(user, rows)
    now = timezone.now()
    note = _("Entered by the assessing department")
    county_code = user.county.code if user.county else None
    saved: list[ProgressReport] = []
    for start in range(0, len(good), batch_size):
        batch = good[start : start + batch_size]
        # One locked read per batch, narrowed period by period so it never fetches the rows
        # of other periods the import has already written.
        by_period: dict[int, tuple[set[int], set[int]]] = {}
        for row, _v, _i in batch:
            units, indicators = by_period.setdefault(row.period.pk, (set(), set()))
            units.add(row.target.unit_id)
            indicators.add(row.target.indicator_id)
        wanted = Q()
        for period_id, (units, indicators) in by_period.items():
            wanted |= Q(period_id=period_id, unit_id__in=units, indicator_id__in=indicators)
        existing = {
            (r.unit_id, r.indicator_id, r.period_id): r
            for r in ProgressReport.objects.select_for_update().filter(wanted)
        }
        created: list[ProgressReport] = []
        changed: list[tuple[ProgressReport, dict[str, Any]]] = []
        for row, value, items in batch:
            t = row.target
            report = existing.get((t.unit_id, t.indicator_id, row.period.pk))
            if report is not None and report.status in {
                ReportStatus.APPROVED,
                ReportStatus.CONFIRMED,
            }:
                errors[f"{t.unit.code}-{t.indicator.code}"] = [
                    _("Already approved; the performance office reopens it if it must change.")
                ]
                continue
            if report is None:
                report = ProgressReport(
                    county_id=t.county_id,
                    unit_id=t.unit_id,
                    indicator_id=t.indicator_id,
                    period=row.period,
                )
                created.append(report)
            else:
                before = {"value": report.value, "items": report.items, "status": report.status}
                report.version += 1
                changed.append((report, before))
            report.value, report.items, report.note = value, items, row.note.strip()[:2000]
            report.status = ReportStatus.APPROVED
            report.submitted_at = report.reviewed_at = now
            report.submitted_by = report.reviewed_by = user
            report.review_note = note
        if errors:
            continue  # keep checking the other batches; nothing will be kept
        ProgressReport.objects.bulk_create(created, batch_size=batch_size)
        ProgressReport.objects.bulk_update([r for r, _b in changed], _WRITTEN)
        befores = {r.pk: b for r, b in changed}
        written = created + [r for r, _b in changed]
        audit_record(
            actor=user,
            action="report.enter",
            county_code=county_code,
            object_type="progress_report",
            object_id=f"{written[0].pk}..{written[-1].pk}" if written else "",
            after={
                "count": len(written),
                "rows": [
                    {
                        "id": r.pk,
                        "unit": r.unit_id,
                        "indicator": r.indicator_id,
                        "period": r.period_id,
                        "value": str(r.value),
                        "items": r.items,
                        "note": r.note,
                        "before": befores.get(r.pk),
                    }
                    for r in written
                ],
            },
        )
        saved.extend(written)
    if errors:
        raise ValidationError(errors)
    transaction.on_commit(lambda: _announce(saved))
    return saved


def _announce(reports: list[ProgressReport]) -> None:
    """Announce the approvals once committed: the latest period of each unit and indicator.

    An upload of one period announces every report, as single approvals would. A bulk import
    spanning many periods recomputes the current colour of each unit and indicator it touched
    (from its latest period), not the colour at every earlier period end: 100,000 rows would
    otherwise enqueue 100,000 tasks. The enqueues share one transaction.
    """
    latest: dict[tuple[int, int], ProgressReport] = {}
    for r in reports:
        key = (r.unit_id, r.indicator_id)
        if key not in latest or r.period.end >= latest[key].period.end:
            latest[key] = r
    with transaction.atomic():
        for report in latest.values():
            value_changed.send(sender=ProgressReport, report=report)
