"""Plans: a unit's targets with their schedules, and the task, measures and responsibility
lists that break each target down (the five lists besides progress)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.org.access import Permission, has_perm, require
from kaohe.org.models import Cadre, User
from kaohe.reporting.models import Target, TargetLists
from kaohe.reporting.services import StaleVersion, parse_value
from kaohe.scoring.schedule import validate_milestones, validate_monthly_shares

MAX_LIST_ITEMS = 30


@transaction.atomic
def target_lists_save(
    *,
    user: User,
    target: Target,
    tasks: Sequence[dict[str, str]],
    measures: Sequence[str],
    leader_id: int | None,
    person_in_charge: str,
    contact: str,
    version: int | None = None,
    reason: str = "",
) -> TargetLists:
    """Save a target's task, measures and responsibility lists (五个清单 besides target and
    progress).

    The unit edits its own until the scheme's lists deadline; after it the lists are locked and
    only the performance office changes them, with a reason the audit trail keeps.
    """
    scheme = target.scheme
    locked = scheme.lists_deadline is not None and timezone.localdate() > scheme.lists_deadline
    if user.role == "office" and user.county_id == target.county_id:
        if locked and not reason.strip():
            raise ValidationError({"reason": _("The lists are locked: say why they change.")})
    elif has_perm(user, Permission.REPORT_FILL) and target.unit_id == user.unit_id:
        if locked:
            raise ValidationError(
                _("The lists locked on %(date)s; ask the performance office to change them.")
                % {"date": scheme.lists_deadline.isoformat() if scheme.lists_deadline else ""}
            )
    else:
        raise PermissionDenied
    clean_tasks = []
    for n, task in enumerate(tasks[: MAX_LIST_ITEMS + 1]):
        title = str(task.get("title", "")).strip()
        if not title:
            continue
        deadline = str(task.get("deadline", "")).strip()
        if deadline:
            try:
                dt.date.fromisoformat(deadline)
            except ValueError:
                raise ValidationError(
                    {
                        "tasks": _("Task %(n)d: the deadline must be a date (YYYY-MM-DD).")
                        % {"n": n + 1}
                    }
                ) from None
        clean_tasks.append(
            {
                "title": title[:200],
                "deadline": deadline,
                "milestone": str(task.get("milestone", ""))[:200],
            }
        )
    clean_measures = [m.strip()[:500] for m in measures if m.strip()]
    if len(clean_tasks) > MAX_LIST_ITEMS or len(clean_measures) > MAX_LIST_ITEMS:
        raise ValidationError(_("At most %(n)d items per list.") % {"n": MAX_LIST_ITEMS})
    if (
        leader_id is not None
        and not Cadre.objects.filter(pk=leader_id, county_id=target.county_id).exists()
    ):
        raise ValidationError({"leader": _("Choose a cadre of this county.")})
    lists, _created = TargetLists.objects.select_for_update().get_or_create(target=target)
    if version is not None and lists.version != version:
        raise StaleVersion(
            _("Someone else changed these lists after you opened them. Reload and try again.")
        )
    fields = ["tasks", "measures", "leader_id", "person_in_charge", "contact"]
    before = {f: getattr(lists, f) for f in fields}
    lists.tasks, lists.measures, lists.leader_id = clean_tasks, clean_measures, leader_id
    lists.person_in_charge, lists.contact = person_in_charge.strip()[:64], contact.strip()[:64]
    lists.version += 1
    lists.save()
    audit_record(
        actor=user,
        action="lists.save",
        county_code=target.county.code,
        object_type="target",
        object_id=target.pk,
        before=before,
        after={**{f: getattr(lists, f) for f in fields}, "reason": reason.strip()},
    )
    return lists


@transaction.atomic
def target_set(
    *,
    user: User,
    target: Target,
    annual_target: Any,
    stretch_target: Any = None,
    monthly_shares: Sequence[float] | None = None,
    milestones: Sequence[Sequence[Any]] | None = None,
    reason: str = "",
) -> Target:
    """The performance office sets a unit's yearly and stretch targets and its time schedule:
    linear, or twelve monthly shares adding up to 1 (a seasonal profile). Audited with a reason
    once the scheme is published, because warnings and scores follow the target."""
    require(user, Permission.REPORT_CONFIRM)
    if target.county_id != user.county_id:
        raise PermissionDenied
    if target.scheme.status != "draft" and not reason.strip():
        raise ValidationError({"reason": _("Say why a published target changes.")})
    goal = parse_value(annual_target)
    stretch = parse_value(stretch_target) if stretch_target not in (None, "") else None
    if stretch is not None and stretch < goal:
        raise ValidationError(
            {"stretch_target": _("The stretch target must not be below the target.")}
        )
    if monthly_shares and milestones:
        raise ValidationError(
            {"milestones": _("A target follows monthly shares or milestones, not both.")}
        )
    steps: list[list[Any]] = []
    if milestones:
        try:
            steps = [
                [d.isoformat(), s]
                for d, s in validate_milestones(list(milestones), target.scheme.year)
            ]
        except ValueError:
            raise ValidationError(
                {
                    "milestones": _(
                        "Milestones need dates in the scheme's year, in order, with shares "
                        "between 0 and 1 that do not decrease and end at 1 (the whole target)."
                    )
                }
            ) from None
    shares: list[float] = []
    if monthly_shares:
        try:
            shares = [float(s) for s in validate_monthly_shares(list(monthly_shares))]
        except ValueError as exc:
            raise ValidationError({"monthly_shares": str(exc)}) from None
    fields = ["annual_target", "stretch_target", "schedule", "monthly_shares", "milestones"]
    before = {f: getattr(target, f) for f in fields}
    target.annual_target, target.stretch_target = goal, stretch
    target.schedule = "milestones" if steps else "monthly" if shares else "linear"
    target.monthly_shares = shares
    target.milestones = steps
    target.save(update_fields=fields)
    audit_record(
        actor=user,
        action="target.set",
        county_code=target.county.code,
        object_type="target",
        object_id=target.pk,
        before=before,
        after={**{f: getattr(target, f) for f in fields}, "reason": reason.strip()},
    )
    return target


@transaction.atomic
def target_propose(*, user: User, target: Target, proposed: Any, note: str) -> Target:
    """A unit proposes its own yearly target, with its reasoning; the office decides."""
    require(user, Permission.REPORT_FILL)
    if target.unit_id != user.unit_id or target.county_id != user.county_id:
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Say why this target is proposed.")})
    before = {"proposed_target": target.proposed_target, "proposal_note": target.proposal_note}
    target.proposed_target = parse_value(proposed)
    target.proposal_note = note.strip()[:500]
    target.save(update_fields=["proposed_target", "proposal_note"])
    audit_record(
        actor=user,
        action="target.propose",
        county_code=target.county.code,
        object_type="target",
        object_id=target.pk,
        before=before,
        after={"proposed_target": target.proposed_target, "proposal_note": target.proposal_note},
    )
    return target


@transaction.atomic
def target_proposal_decide(
    *, user: User, target: Target, approve: bool, reason: str = ""
) -> Target:
    """The office approves a unit's proposed target (it becomes the target) or rejects it."""
    require(user, Permission.REPORT_CONFIRM)
    if target.county_id != user.county_id:
        raise PermissionDenied
    if target.proposed_target is None:
        raise ValidationError(_("There is no proposal to decide."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is rejected.")})
    before = {"annual_target": target.annual_target, "proposed_target": target.proposed_target}
    if approve:
        target.annual_target = target.proposed_target
    target.proposed_target, target.proposal_note = None, ""
    target.save(update_fields=["annual_target", "proposed_target", "proposal_note"])
    audit_record(
        actor=user,
        action="target.approve" if approve else "target.reject",
        county_code=target.county.code,
        object_type="target",
        object_id=target.pk,
        before=before,
        after={"annual_target": target.annual_target, "reason": reason.strip()},
    )
    return target
