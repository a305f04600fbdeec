"""Writes on progress reports: one service per workflow transition, each audited.

Every service is keyword-only, runs in one transaction, checks access, validates, saves with
update_fields and records an audit event before the transaction commits. The `version` passed
in is the one the user's form was built from: a mismatch means someone saved in between, and
the save is refused rather than silently overwriting (optimistic locking).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record, snapshot
from kaohe.org.access import Permission, require
from kaohe.org.models import User
from kaohe.org.services import notify
from kaohe.reporting.events import value_changed_on_commit
from kaohe.reporting.evidence import CheckedFile, evidence_check_all, stored_name
from kaohe.reporting.items import compute, indicator_items, parse_number
from kaohe.reporting.models import (
    Evidence,
    Period,
    ProgressReport,
    Reopening,
    ReportStatus,
    Target,
)
from kaohe.reporting.quality import quality_flags
from kaohe.reporting.workflow import EDITABLE, REOPENABLE, allowed

_FIELDS = ["value", "items", "note", "status", "review_note", "is_late", "flags", "version"]


class StaleVersion(ValidationError):
    """The report changed since the form was opened."""


def parse_value(raw: Any) -> Decimal:
    return parse_number(raw, "value")


def _lock(report: ProgressReport, version: int | None) -> ProgressReport:
    """Re-read the report under a row lock and check the caller's version against it."""
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and locked.version != version:
        raise StaleVersion(
            _("Someone else changed this report after you opened it. Reload it and try again.")
        )
    return locked


def _transition(report: ProgressReport, user: User, to: str) -> None:
    if not allowed(report.status, to, user.role):
        raise ValidationError(
            _("A report that is %(status)s cannot be moved to %(to)s.")
            % {"status": report.get_status_display(), "to": ReportStatus(to).label}
        )


def _audit(user: User, action: str, report: ProgressReport, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=user,
        action=action,
        county_code=report.unit.county.code,
        object_type="progress_report",
        object_id=report.pk,
        before=before,
        after=snapshot(report, _FIELDS),
    )


def stored_flags(flags: Sequence[Any]) -> list[dict[str, Any]]:
    """Flags as JSON can keep them: an infinite z-score (all peers equal, this value not) is
    stored as None, which PostgreSQL's JSON accepts and the page shows as ∞."""
    out = []
    for flag in flags:
        data = flag.as_dict()
        score = data.get("score")
        if isinstance(score, float) and not math.isfinite(score):
            data["score"] = None
            data["infinite"] = True
        out.append(data)
    return out


def value_of(
    indicator: Any, value: Any, items: Mapping[str, Any] | None
) -> tuple[Decimal, dict[str, str]]:
    """The value to store and the data item values behind it (empty without a formula)."""
    data_items = indicator_items(indicator)
    if data_items:
        return compute(indicator, data_items, items or {})
    return parse_value(value), {}


@transaction.atomic
def report_submit(
    *,
    user: User,
    target: Target,
    period: Period,
    value: Any,
    note: str,
    version: int | None = None,
    files: Sequence[UploadedFile] = (),
    items: Mapping[str, Any] | None = None,
) -> ProgressReport:
    """A unit submits its value, note and evidence for one indicator and period (填报).

    Creates the report on first submission; a returned report may be corrected and submitted
    again. A submission after the period's deadline is accepted and flagged late. Every file is
    checked (type on content, size) before anything is written: one bad file refuses the whole
    submission.

    When the indicator has a formula over data items, ``items`` ({code: value}) is what the
    unit reports: each item is checked and the value is computed from the formula
    (kaohe.reporting.items); ``value`` is then ignored.
    """
    require(user, Permission.REPORT_FILL)
    if target.unit_id != user.unit_id or target.county_id != user.county_id:
        raise PermissionDenied
    checked = evidence_check_all(files)
    if period.scheme_id != target.scheme_id:
        raise ValidationError(_("The period belongs to another scheme."))
    parsed, item_values = value_of(target.indicator, value, items)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("The note is longer than 2000 characters.")})
    existing = ProgressReport.objects.filter(
        unit_id=target.unit_id, indicator_id=target.indicator_id, period=period
    ).first()
    before = None
    if existing is None:
        report = ProgressReport(
            county_id=target.county_id,
            unit_id=target.unit_id,
            indicator_id=target.indicator_id,
            period=period,
        )
    else:
        report = _lock(existing, version)
        if report.status not in EDITABLE:
            raise ValidationError(
                _("This report is %(status)s and can no longer be changed.")
                % {"status": report.get_status_display()}
            )
        before = snapshot(report, _FIELDS)
    _transition(report, user, ReportStatus.SUBMITTED)
    now = timezone.now()
    reopening = _open_reopening(report) if report.pk else None
    if period.review_due and timezone.localdate(now) > period.review_due and reopening is None:
        raise ValidationError(
            _(
                "This period closed on %(date)s. Ask the performance office to reopen your "
                "report if it must change."
            )
            % {"date": period.review_due.isoformat()}
        )
    report.value = parsed
    report.items = item_values
    report.note = note
    report.status = ReportStatus.SUBMITTED
    report.is_late = timezone.localdate(now) > period.due
    report.flags = stored_flags(quality_flags(target=target, period=period, value=parsed))
    report.submitted_at = now
    report.submitted_by = user
    if existing is None:
        report.save()
    else:
        report.version += 1
        report.save(
            update_fields=[
                "value",
                "items",
                "note",
                "status",
                "is_late",
                "flags",
                "submitted_at",
                "submitted_by",
                "version",
            ]
        )
    _audit(user, "report.submit", report, before)
    if reopening is not None:
        reopening.closed_at = now
        reopening.save(update_fields=["closed_at"])
    for upload, check in zip(files, checked, strict=True):
        evidence_store(uploader=user, report=report, upload=upload, check=check)
    return report


@dataclass(frozen=True)
class GridRow:
    target: Target
    period: Period
    value: str
    note: str
    version: int | None
    items: Mapping[str, str] | None = None


@transaction.atomic
def reports_submit_grid(*, user: User, rows: Sequence[GridRow]) -> list[ProgressReport]:
    """A unit's whole period at once, from the grid: every row is submitted or none is.

    Each row goes through report_submit (access, validation, lock, flags, audit). A problem in
    any row raises a ValidationError keyed by the row (``target-period``) and rolls back all.
    """
    errors: dict[str, list[str]] = {}
    saved = []
    for row in rows:
        key = f"{row.target.pk}-{row.period.pk}"
        try:
            with transaction.atomic():
                saved.append(
                    report_submit(
                        user=user,
                        target=row.target,
                        period=row.period,
                        value=row.value,
                        note=row.note,
                        version=row.version,
                        items=row.items,
                    )
                )
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return saved


def _open_reopening(report: ProgressReport) -> Reopening | None:
    return report.reopenings.filter(closed_at__isnull=True).first()


@transaction.atomic
def report_reopen(
    *, user: User, report: ProgressReport, version: int, reason: str
) -> ProgressReport:
    """The performance office reopens a report for correction, with a reason the report shows.

    Approved or confirmed data goes back to the unit as returned; a returned report past the
    period's lock is unlocked. The reopening stays open until the unit submits again.
    """
    require(user, Permission.REPORT_CONFIRM)
    if report.county_id != user.county_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is reopened.")})
    report = _lock(report, version)
    if report.status not in REOPENABLE:
        raise ValidationError(
            _("A report that is %(status)s cannot be reopened.")
            % {"status": report.get_status_display()}
        )
    if _open_reopening(report) is not None:
        raise ValidationError(_("This report is already open for correction."))
    before = snapshot(report, _FIELDS)
    reopening = Reopening.objects.create(
        report=report, reason=reason.strip(), previous_status=report.status, reopened_by=user
    )
    if report.status != ReportStatus.RETURNED:
        _transition(report, user, ReportStatus.RETURNED)
        report.status = ReportStatus.RETURNED
    report.review_note = reason.strip()
    report.version += 1
    report.save(update_fields=["status", "review_note", "version"])
    audit_record(
        actor=user,
        action="report.reopen",
        county_code=report.unit.county.code,
        object_type="progress_report",
        object_id=report.pk,
        before=before,
        after={**snapshot(report, _FIELDS), "reason": reopening.reason},
    )
    # The value no longer counts: the map and scores fall back to the value still in force.
    value_changed_on_commit(report)
    return report


def evidence_store(
    *,
    uploader: User | None,
    report: ProgressReport,
    upload: UploadedFile | ContentFile[bytes],
    check: CheckedFile,
) -> Evidence:
    """Keep a checked evidence file on a report, stored by hash, with its audit event.

    Called by ``report_submit`` inside its transaction (which checks access), and by the demo
    builder; ``uploader`` None means the system attached it (the event's actor is "system").
    """
    upload.seek(0)
    evidence = Evidence(
        county_id=report.county_id,
        report=report,
        original_name=(upload.name or "evidence")[-200:],
        content_type=check.content_type,
        size=check.size,
        sha256=check.sha256,
        uploaded_by=uploader,
    )
    evidence.file.save(stored_name(check), ContentFile(upload.read()), save=False)
    evidence.save()
    audit_record(
        actor=uploader or "system",
        action="evidence.attach",
        county_code=report.unit.county.code,
        object_type="progress_report",
        object_id=report.pk,
        after={"file": evidence.original_name, "sha256": check.sha256, "size": check.size},
    )
    return evidence


def _assessor_may_review(user: User, report: ProgressReport) -> None:
    require(user, Permission.REPORT_REVIEW)
    if report.indicator.assessor_id != user.unit_id or report.county_id != user.county_id:
        raise PermissionDenied


@transaction.atomic
def report_approve(
    *, user: User, report: ProgressReport, version: int, note: str = ""
) -> ProgressReport:
    """The assessing department approves a submitted value; later stages hear of it."""
    _assessor_may_review(user, report)
    report = _lock(report, version)
    before = snapshot(report, _FIELDS)
    _transition(report, user, ReportStatus.APPROVED)
    report.status = ReportStatus.APPROVED
    report.review_note = note.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.version += 1
    report.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by", "version"])
    _audit(user, "report.approve", report, before)
    value_changed_on_commit(report)
    return report


@transaction.atomic
def report_return(
    *, user: User, report: ProgressReport, version: int, reason: str
) -> ProgressReport:
    """The assessing department returns a submission to the unit, with a reason it must give."""
    _assessor_may_review(user, report)
    if not reason.strip():
        raise ValidationError({"note": _("Say why the report is returned.")})
    report = _lock(report, version)
    before = snapshot(report, _FIELDS)
    _transition(report, user, ReportStatus.RETURNED)
    report.status = ReportStatus.RETURNED
    report.review_note = reason.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.version += 1
    report.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by", "version"])
    _audit(user, "report.return", report, before)
    notify(
        users=User.objects.filter(unit_id=report.unit_id, role="unit"),
        kind="report.returned",
        key=f"returned:{report.pk}:{report.version}",
        title=_("Report returned: %(indicator)s") % {"indicator": report.indicator.name},
        body=reason.strip(),
        url=f"/reports/{report.pk}/",
    )
    return report


@transaction.atomic
def report_confirm(*, user: User, report: ProgressReport, version: int) -> ProgressReport:
    """The performance office confirms an approved value; it is then locked."""
    require(user, Permission.REPORT_CONFIRM)
    if report.county_id != user.county_id:
        raise PermissionDenied
    report = _lock(report, version)
    before = snapshot(report, _FIELDS)
    _transition(report, user, ReportStatus.CONFIRMED)
    report.status = ReportStatus.CONFIRMED
    report.confirmed_at = timezone.now()
    report.confirmed_by = user
    report.version += 1
    report.save(update_fields=["status", "confirmed_at", "confirmed_by", "version"])
    _audit(user, "report.confirm", report, before)
    value_changed_on_commit(report)
    return report


@transaction.atomic
def report_correct(
    *, user: User, report: ProgressReport, value: Decimal, reason: str
) -> ProgressReport:
    """The performance office corrects a confirmed value after an upheld appeal's re-check.

    The value in force changes, so the warning is recomputed and every page scores the
    corrected value, as the amended round does; the audit event keeps the old value and names
    the reason (the appeal).
    """
    require(user, Permission.ROUND_MANAGE)
    if report.county_id != user.county_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the value is corrected.")})
    report = _lock(report, None)
    if report.status != ReportStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed value is corrected after an appeal."))
    before = snapshot(report, _FIELDS)
    report.value = value
    report.version += 1
    report.save(update_fields=["value", "version"])
    audit_record(
        actor=user,
        action="report.correct",
        county_code=report.unit.county.code,
        object_type="progress_report",
        object_id=report.pk,
        before=before,
        after={**snapshot(report, _FIELDS), "reason": reason.strip()},
    )
    value_changed_on_commit(report)
    return report
