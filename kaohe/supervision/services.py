"""Writes on notices and their rectification: drafting, issuing, escalating, answering, deciding.

Every service is keyword-only, runs in one transaction, checks access (a user) or runs as the
system (the cadence jobs), saves with update_fields and records an audit event before the
transaction commits. Numbers are given at issue from a counter row locked with
select_for_update, so two offices issuing at once never get the same number and none is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record, snapshot
from kaohe.documents.official import chinese_date, document_number
from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.access import Permission, require
from kaohe.org.models import County, Unit, User
from kaohe.org.services import notify
from kaohe.reporting.evidence import evidence_check_all, stored_name
from kaohe.schemes.models import Indicator
from kaohe.supervision.models import (
    DEFAULT_DAYS,
    ESCALATABLE,
    LIVE,
    NEXT_KIND,
    NUMBER_PREFIX,
    OPEN,
    Notice,
    NoticeCounter,
    NoticeKind,
    NoticeStatus,
    Rectification,
    RectificationEvidence,
    SupervisionSettings,
)

_FIELDS = ["kind", "status", "number", "deadline", "required_actions", "issued_on", "closed_on"]
# After a loop on a unit's indicator is closed by acceptance, a still-red colour waits this long
# for the next values before another reminder is drafted.
REDRAFT_AFTER_DAYS = 30


def _actor(user: User | None) -> Any:
    return user if user is not None else "system"


def _audit(user: User | None, action: str, notice: Notice, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=_actor(user),
        action=action,
        county_code=notice.county.code,
        object_type="notice",
        object_id=notice.pk,
        before=before,
        after=snapshot(notice, _FIELDS),
    )


def _same_county(user: User, notice: Notice) -> None:
    if notice.county_id != user.county_id:
        raise PermissionDenied


def _lock(notice: Notice, version: int | None) -> Notice:
    locked = Notice.objects.select_for_update().select_related("county").get(pk=notice.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this notice after you opened it. Reload it and try again.")
        )
    return locked


def settings_of(county: County) -> SupervisionSettings:
    """The county's loop settings; the performance office defaults to a supervision office
    whose name says 绩效 (else the first supervision office)."""
    found, _created = SupervisionSettings.objects.get_or_create(county=county)
    if found.performance_office_id is None:
        offices = Unit.objects.filter(county=county, is_supervision=True).order_by("code")
        found.performance_office = offices.filter(name__contains="绩效").first() or offices.first()
        if found.performance_office is not None:
            found.save(update_fields=["performance_office"])
    return found


def number_prefix(county: County, kind: str) -> str:
    return (county.short_name or county.name[:1]) + NUMBER_PREFIX[NoticeKind(kind)]


def _next_seq(county: County, kind: str, year: int) -> int:
    """The next number of a kind in a year: the counter row is locked until the caller's
    transaction ends, so concurrent issues wait for each other (gap-free: a rolled-back issue
    rolls the counter back with it)."""
    counter = (
        NoticeCounter.objects.select_for_update()
        .filter(county=county, kind=kind, year=year)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                NoticeCounter.objects.create(county=county, kind=kind, year=year)
        except IntegrityError:
            pass  # another transaction created it first: lock theirs
        counter = NoticeCounter.objects.select_for_update().get(county=county, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _assign_number(notice: Notice, today: dt.date) -> None:
    notice.year = today.year
    notice.seq = _next_seq(notice.county, notice.kind, today.year)
    notice.number = document_number(
        number_prefix(notice.county, notice.kind), notice.year, notice.seq
    )


def _announce(notice: Notice) -> None:
    notify(
        users=User.objects.filter(unit_id=notice.recipient_id, role="unit", is_active=True),
        kind="notice.issued",
        key=f"notice.issued:{notice.pk}",
        title=_("%(kind)s %(number)s: %(title)s")
        % {"kind": notice.get_kind_display(), "number": notice.number, "title": notice.title},
        body=_("Rectify by %(date)s.") % {"date": notice.deadline.isoformat()},
        url=f"/supervision/notices/{notice.pk}/",
    )


def _issue(notice: Notice, user: User | None, today: dt.date) -> None:
    _assign_number(notice, today)
    notice.status = NoticeStatus.ISSUED
    notice.issued_on = today
    notice.issued_by = user
    notice.version += 1
    notice.save(
        update_fields=["year", "seq", "number", "status", "issued_on", "issued_by", "version"]
    )
    _announce(notice)


@transaction.atomic
def notice_create(
    *,
    user: User | None,
    county: County,
    kind: str,
    issuer: Unit,
    recipient: Unit,
    indicators: Iterable[Indicator],
    title: str,
    situation: str,
    required_actions: str,
    deadline: dt.date,
    warning: Warning | None = None,
    inspection: Any = None,
    parent: Notice | None = None,
) -> Notice:
    """A draft notice (by an office, or by the system for a warning)."""
    if user is not None:
        require(user, Permission.NOTICE_ISSUE)
        if user.county_id != county.pk:
            raise PermissionDenied
    indicators = list(indicators)
    if (
        issuer.county_id != county.pk
        or recipient.county_id != county.pk
        or any(i.county_id != county.pk for i in indicators)
    ):
        raise PermissionDenied
    if not title.strip() or not required_actions.strip():
        raise ValidationError(_("A notice needs a title and the actions required."))
    notice = Notice.objects.create(
        county=county,
        kind=kind,
        issuer=issuer,
        recipient=recipient,
        title=title.strip()[:200],
        situation=situation.strip(),
        required_actions=required_actions.strip(),
        deadline=deadline,
        warning=warning,
        inspection=inspection,
        parent=parent,
        created_by=user,
    )
    notice.indicators.set(indicators)
    _audit(user, "notice.draft", notice, None)
    return notice


@transaction.atomic
def notices_draft_from_warnings(*, county: County, today: dt.date) -> list[Notice]:
    """Draft a reminder notice for each orange or red latest warning with no open notice.

    Idempotent: a unit's indicator that already has an open notice (draft, issued, being
    rectified or returned) gets none, nor one whose loop was accepted less than 30 days ago.
    Drafts are issued at once when the county's settings say so.
    """
    config = settings_of(county)
    if config.performance_office is None:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the county's language
        return _draft_all(county, config, today)


def _draft_all(county: County, config: SupervisionSettings, today: dt.date) -> list[Notice]:
    office = config.performance_office
    assert office is not None
    made = []
    warnings = (
        latest_warnings(county_id=county.pk, published_only=True)
        .filter(level__gte=2)
        .select_related("unit", "indicator")
    )
    for warning in warnings.order_by("unit__code", "indicator__position"):
        mine = Notice.objects.filter(
            county=county, recipient_id=warning.unit_id, indicators=warning.indicator_id
        )
        if mine.filter(status__in=OPEN).exists():
            continue
        recent = today - dt.timedelta(days=REDRAFT_AFTER_DAYS)
        if mine.filter(status=NoticeStatus.ACCEPTED, closed_on__gte=recent).exists():
            continue
        indicator = warning.indicator
        completion = "—" if warning.completion is None else f"{warning.completion * 100:.1f}%"
        notice = notice_create(
            user=None,
            county=county,
            kind=NoticeKind.REMINDER,
            issuer=office,
            recipient=warning.unit,
            indicators=[indicator],
            title=_("Reminder on the slow progress of %(indicator)s")
            % {"indicator": indicator.name},
            situation=_(
                "As of %(date)s, %(unit)s has completed %(completion)s of its target for "
                "%(indicator)s against a time schedule of %(schedule).1f%%: %(colour)s warning."
            )
            % {
                "date": chinese_date(warning.as_of),
                "unit": warning.unit.name,
                "completion": completion,
                "indicator": indicator.name,
                "schedule": warning.schedule * 100,
                "colour": warning.get_level_display(),
            },
            required_actions=_(
                "Analyse the causes of the delay, set out a rectification plan with measures, "
                "people responsible and dates, and report the progress made with evidence."
            ),
            deadline=today + dt.timedelta(days=DEFAULT_DAYS[NoticeKind.REMINDER]),
            warning=warning,
        )
        if config.auto_issue:
            _issue(notice, None, today)
            _audit(None, "notice.issue", notice, None)
        made.append(notice)
    return made


@transaction.atomic
def notice_issue(
    *,
    user: User,
    notice: Notice,
    today: dt.date,
    version: int | None = None,
    deadline: dt.date | None = None,
    required_actions: str | None = None,
) -> Notice:
    """Issue a draft: it gets the next number of its kind and year and goes to the unit."""
    require(user, Permission.NOTICE_ISSUE)
    _same_county(user, notice)
    notice = _lock(notice, version)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Only a draft can be issued."))
    before = snapshot(notice, _FIELDS)
    if deadline is not None:
        if deadline < today:
            raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
        notice.deadline = deadline
    if required_actions is not None and required_actions.strip():
        notice.required_actions = required_actions.strip()
    notice.save(update_fields=["deadline", "required_actions"])
    _issue(notice, user, today)
    _audit(user, "notice.issue", notice, before)
    return notice


@transaction.atomic
def notice_withdraw(*, user: User, notice: Notice, today: dt.date, reason: str) -> Notice:
    """Withdraw a draft or a live notice (issued in error, or the matter is gone)."""
    require(user, Permission.NOTICE_ISSUE)
    _same_county(user, notice)
    notice = _lock(notice, None)
    if notice.status not in OPEN:
        raise ValidationError(_("This notice is closed and cannot be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    before = snapshot(notice, _FIELDS)
    notice.status = NoticeStatus.WITHDRAWN
    notice.closed_on = today
    notice.version += 1
    notice.save(update_fields=["status", "closed_on", "version"])
    audit_record(
        actor=user,
        action="notice.withdraw",
        county_code=notice.county.code,
        object_type="notice",
        object_id=notice.pk,
        before=before,
        after={**snapshot(notice, _FIELDS), "reason": reason.strip()},
    )
    return notice


def _escalate(notice: Notice, user: User | None, today: dt.date, *, issue: bool = True) -> Notice:
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the county's language
        return _escalate_now(notice, user, today, issue)


def _escalate_now(notice: Notice, user: User | None, today: dt.date, issue: bool) -> Notice:
    kind = NEXT_KIND[NoticeKind(notice.kind)]
    before = snapshot(notice, _FIELDS)
    notice.status = NoticeStatus.ESCALATED
    notice.closed_on = today
    notice.version += 1
    notice.save(update_fields=["status", "closed_on", "version"])
    _audit(user, "notice.escalate", notice, before)
    label = NoticeKind(kind).label
    child = notice_create(
        user=None,
        county=notice.county,
        kind=kind,
        issuer=notice.issuer,
        recipient=notice.recipient,
        indicators=notice.indicators.all(),
        title=_("%(kind)s: %(title)s") % {"kind": label, "title": notice.title},
        situation=_("%(number)s was not rectified by its deadline of %(date)s and is escalated.")
        % {"number": notice.number, "date": chinese_date(notice.deadline)},
        required_actions=notice.required_actions,
        deadline=today + dt.timedelta(days=DEFAULT_DAYS[kind]),
        warning=notice.warning,
        parent=notice,
    )
    # Escalation follows published rules: the new notice is issued at once, unless the county
    # has its office read automatic escalations first (they wait as drafts in the loop).
    if issue:
        _issue(child, user, today)
        _audit(user, "notice.issue", child, None)
    return child


@transaction.atomic
def notice_escalate(*, user: User, notice: Notice, today: dt.date) -> Notice:
    """An office escalates a live notice now, whatever its deadline; returns the new notice."""
    require(user, Permission.NOTICE_ISSUE)
    _same_county(user, notice)
    notice = _lock(notice, None)
    if notice.status not in LIVE or notice.kind not in NEXT_KIND:
        raise ValidationError(_("Only an issued reminder or supervision order can be escalated."))
    return _escalate(notice, user, today)


@transaction.atomic
def notices_escalate_overdue(*, county: County, today: dt.date) -> list[Notice]:
    """Escalate every notice past its deadline whose unit has no rectification accepted or
    awaiting decision: reminder -> supervision order -> admonition talk. Run by the nightly
    job; re-running it the same day escalates nothing twice (the parent is closed).

    The new notices are issued at once, or left as drafts for the office to issue when the
    county's settings say so (``SupervisionSettings.escalation_issue``)."""
    issue = settings_of(county).escalation_issue
    overdue = (
        Notice.objects.select_for_update()
        .filter(
            county=county,
            status__in=ESCALATABLE,
            kind__in=list(NEXT_KIND),
            deadline__lt=today,
        )
        .order_by("pk")
    )
    return [_escalate(n, None, today, issue=issue) for n in overdue]


@transaction.atomic
def rectification_submit(
    *,
    user: User,
    notice: Notice,
    plan: str,
    actions: str,
    files: Sequence[UploadedFile] = (),
) -> Rectification:
    """The unit answers its notice with a plan, the actions taken and evidence."""
    require(user, Permission.RECTIFY)
    if notice.recipient_id != user.unit_id or notice.county_id != user.county_id:
        raise PermissionDenied
    checked = evidence_check_all(files)
    notice = _lock(notice, None)
    if notice.status not in ESCALATABLE:
        raise ValidationError(_("This notice is not awaiting a rectification."))
    errors = {}
    if not plan.strip():
        errors["plan"] = _("Describe the rectification plan.")
    if not actions.strip():
        errors["actions"] = _("Describe the actions taken.")
    if errors:
        raise ValidationError(errors)
    rect = Rectification.objects.create(
        county_id=notice.county_id,
        notice=notice,
        plan=plan.strip(),
        actions=actions.strip(),
        submitted_by=user,
    )
    for upload, check in zip(files, checked, strict=True):
        upload.seek(0)
        ev = RectificationEvidence(
            county_id=notice.county_id,
            rectification=rect,
            original_name=(upload.name or "evidence")[-200:],
            content_type=check.content_type,
            size=check.size,
            sha256=check.sha256,
        )
        ev.file.save(stored_name(check), ContentFile(upload.read()), save=False)
        ev.save()
    before = snapshot(notice, _FIELDS)
    notice.status = NoticeStatus.RECTIFYING
    notice.version += 1
    notice.save(update_fields=["status", "version"])
    audit_record(
        actor=user,
        action="rectification.submit",
        county_code=notice.county.code,
        object_type="notice",
        object_id=notice.pk,
        before=before,
        after={
            **snapshot(notice, _FIELDS),
            "rectification": rect.pk,
            "files": [c.sha256 for c in checked],
        },
    )
    return rect


@transaction.atomic
def rectification_decide(
    *, user: User, rectification: Rectification, accept: bool, reason: str, today: dt.date
) -> Rectification:
    """The issuer accepts the rectification (the loop closes) or returns it with a reason."""
    require(user, Permission.NOTICE_ISSUE)
    notice = _lock(rectification.notice, None)
    _same_county(user, notice)
    rect = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rect.decision != Rectification.Decision.PENDING or notice.status != NoticeStatus.RECTIFYING:
        raise ValidationError(_("This rectification has already been decided."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the rectification is returned.")})
    before = snapshot(notice, _FIELDS)
    rect.decision = Rectification.Decision.ACCEPTED if accept else Rectification.Decision.RETURNED
    rect.reason = reason.strip()
    rect.decided_at = timezone.now()
    rect.decided_by = user
    rect.save(update_fields=["decision", "reason", "decided_at", "decided_by"])
    notice.status = NoticeStatus.ACCEPTED if accept else NoticeStatus.RETURNED
    if accept:
        notice.closed_on = today
    notice.version += 1
    notice.save(update_fields=["status", "closed_on", "version"])
    audit_record(
        actor=user,
        action="rectification.accept" if accept else "rectification.return",
        county_code=notice.county.code,
        object_type="notice",
        object_id=notice.pk,
        before=before,
        after={**snapshot(notice, _FIELDS), "rectification": rect.pk, "reason": rect.reason},
    )
    if not accept:
        notify(
            users=User.objects.filter(unit_id=notice.recipient_id, role="unit"),
            kind="rectification.returned",
            key=f"rectification.returned:{rect.pk}",
            title=_("Rectification returned: %(number)s") % {"number": notice.number},
            body=rect.reason,
            url=f"/supervision/notices/{notice.pk}/",
        )
    return rect
