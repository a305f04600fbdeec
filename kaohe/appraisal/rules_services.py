"""Changing the round rules from the page: a preview on the current data that writes nothing,
and the audited save of a new numbered version (``RulesVersion``) into
``Scheme.appraisal_rules``; with the history of versions and what each changed."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisal import services as round_services
from kaohe.appraisal.inputs import round_span, rules_in
from kaohe.appraisal.models import RoundKind, RulesVersion
from kaohe.appraisal.rules import rules_clean, rules_diff, rules_errors
from kaohe.appraisal.services import RoundDraft, round_prepare
from kaohe.audit.services import audit_record
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import User
from kaohe.schemes.models import Scheme, SchemeStatus


@dataclass(frozen=True)
class PreviewRow:
    """One unit's result under the rules in force and under the edited rules."""

    unit: str
    category: str
    before: tuple[str, int, str] | None  # composite, rank, grade; None: not computable
    after: tuple[str, int, str]

    @property
    def moved(self) -> bool:
        return self.before is not None and self.before[1:] != self.after[1:]


@dataclass(frozen=True)
class RulesPreview:
    kind: str
    number: int
    as_of: dt.date
    provisional: bool
    rows: list[PreviewRow]
    # Why the rules in force cannot compute this round on the current data, if they cannot.
    in_force_problem: str = ""

    @property
    def moved(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.moved]


def preview_number(scheme: Scheme, kind: str, today: dt.date) -> int:
    """The quarter a preview computes by default: the last one ended, else the first."""
    if kind == RoundKind.ANNUAL:
        return 0
    ended = [n for n in range(1, 5) if round_span(scheme, kind, n)[1] < today]
    return ended[-1] if ended else 1


def _table(draft: RoundDraft) -> dict[str, tuple[str, int, str]]:
    return {
        unit_id: (res["composite"], int(res["rank"]), str(res["grade"]))
        for unit_id, res in draft.results["units"].items()
    }


def rules_preview(
    *,
    user: User,
    scheme: Scheme,
    kind: str,
    number: int,
    rules: dict[str, Any],
    today: dt.date | None = None,
) -> RulesPreview:
    """The round computed on the current data with the edited ``rules`` beside the rules in
    force, unit by unit. Nothing is written; a round that cannot be computed with the edited
    rules is a ValidationError saying why."""
    today = today or round_services.appraisal_today()
    if errors := rules_errors(rules):
        raise ValidationError([m for messages in errors.values() for m in messages])
    edited = round_prepare(
        user=user, scheme=scheme, kind=kind, number=number, rules=rules, today=today
    )
    before: dict[str, tuple[str, int, str]] = {}
    problem = ""
    try:
        before = _table(
            round_prepare(user=user, scheme=scheme, kind=kind, number=number, today=today)
        )
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    units = {str(u["id"]): u for u in edited.inputs["units"]}
    categories = edited.inputs["categories"]
    after = _table(edited)
    rows = [
        PreviewRow(
            unit=units[unit_id]["name"],
            category=categories.get(units[unit_id]["category"], {}).get(
                "name", units[unit_id]["category"]
            ),
            before=before.get(unit_id),
            after=result,
        )
        for unit_id, result in after.items()
    ]
    rows.sort(key=lambda r: (r.category, r.after[1], r.unit))
    return RulesPreview(kind, edited.number, edited.as_of, edited.provisional, rows, problem)


def _locked(scheme: Scheme, version: int | None) -> Scheme:
    """The scheme's row locked; a form opened on an older version of the scheme is refused."""
    scheme = Scheme.objects.select_for_update().select_related("county").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise ValidationError(
            _(
                "Someone else changed this scheme after you opened the page (version %(yours)s, "
                "now %(now)s). Reload the page to see their change, then make yours again."
            )
            % {"yours": version, "now": scheme.version}
        )
    return scheme


@transaction.atomic
def rules_save(
    *,
    user: User,
    scheme: Scheme,
    kind: str,
    rules: dict[str, Any],
    reason: str,
    version: int | None = None,
) -> RulesVersion:
    """Make ``rules`` the rules of the scheme's ``kind`` of round, as a new numbered version.

    The rules are checked whole (every problem, by its field, in a ValidationError); the reason
    is required; ``version`` is the scheme's version the form was opened on. The first change
    also records the rules it replaces as version 1 (the scheme file's or the defaults), so
    the history starts from what was in force. Rounds already computed keep the rules they
    were computed with; the new rules apply from the next computation."""
    require(user, Permission.ROUND_MANAGE)
    if scheme.county_id != county_id_of(user):
        raise PermissionDenied
    if kind not in RoundKind.values:
        raise ValidationError(_("Unknown kind of round."))
    rules = rules_clean(copy.deepcopy(rules))
    errors: dict[str, list[str]] = rules_errors(rules)
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Say why the rules change."))
    if errors:
        raise ValidationError(errors)
    scheme = _locked(scheme, version)
    if scheme.status == SchemeStatus.CLOSED:
        raise ValidationError(_("The scheme is closed: its rules no longer change."))
    old_all = copy.deepcopy(scheme.appraisal_rules or {})
    before = rules_in(old_all, kind)
    if rules_clean(before) == rules:
        raise ValidationError(_("Nothing changed: these are the rules in force."))
    now = timezone.now()
    versions = RulesVersion.objects.filter(scheme=scheme)
    number = versions.aggregate(n=Max("number"))["n"] or 0
    if number == 0:
        number = 1
        RulesVersion.objects.create(
            county_id=scheme.county_id,
            scheme=scheme,
            number=1,
            kind=kind,
            rules=old_all,
            reason=_("The rules in force before the first change on this page"),
            created_at=now,
            created_by=user,
        )
    new_all = old_all | {kind: rules}
    saved = RulesVersion.objects.create(
        county_id=scheme.county_id,
        scheme=scheme,
        number=number + 1,
        kind=kind,
        rules=new_all,
        reason=reason.strip()[:300],
        created_at=now,
        created_by=user,
    )
    scheme.appraisal_rules = new_all
    scheme.version += 1
    scheme.save(update_fields=["appraisal_rules", "version"])
    audit_record(
        actor=user,
        action="round_rules.save",
        county_code=scheme.county.code,
        object_type="appraisal.RulesVersion",
        object_id=saved.pk,
        before={"kind": kind, "rules": before},
        after={
            "kind": kind,
            "version": saved.number,
            "reason": saved.reason,
            "rules": rules,
            "changes": [list(c) for c in rules_diff(before, rules)],
        },
    )
    return saved


@dataclass(frozen=True)
class VersionEntry:
    version: RulesVersion
    changes: list[tuple[str, str, str]]


def rules_history(*, user: User, scheme: Scheme) -> list[VersionEntry]:
    """The scheme's versions of the round rules, newest first, each with what it changed in
    the rules of its kind of round against the version before it."""
    require(user, Permission.ROUND_MANAGE)
    if scheme.county_id != county_id_of(user):
        raise PermissionDenied
    versions = list(
        RulesVersion.objects.filter(scheme=scheme).select_related("created_by").order_by("number")
    )
    entries = []
    previous: dict[str, Any] | None = None
    for v in versions:
        changes = (
            rules_diff(rules_in(previous, v.kind), rules_in(v.rules, v.kind))
            if previous is not None
            else []
        )
        entries.append(VersionEntry(v, changes))
        previous = v.rules
    return entries[::-1]
