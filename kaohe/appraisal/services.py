"""Every write of a round's life: compute, publish, appeal, amend, finalise; and the inputs
(ratings, higher-level results, adjustments). Each checks access, validates, saves and audits
in one transaction."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaohe.appraisal.inputs import DEFAULT_RULES, gather_inputs, round_span, rules_for
from kaohe.appraisal.models import (
    Adjustment,
    AdjustmentKind,
    Appeal,
    AppealStatus,
    ResultAmendment,
    Round,
    RoundKind,
    RoundResult,
    RoundStatus,
)
from kaohe.audit.services import audit_record
from kaohe.org.access import Permission, county_id_of, require, unit_id_of
from kaohe.org.models import Role, Unit, User
from kaohe.org.services import notify
from kaohe.reporting.evidence import evidence_check, stored_name
from kaohe.reporting.selectors import report_in_force
from kaohe.reporting.services import report_correct
from kaohe.schemes.models import Scheme
from kaohe.scoring.rounds import check_rules, compute_round, digest

RESULT_FIELDS = ("composite", "rank", "grade", "veto")


def _save_results(rnd: Round, results: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Write the computed results of a round; return each unit's previous reading."""
    places = int(rnd.rules.get("places", 2))
    previous = {
        r.unit_id: {
            "composite": f"{r.composite:.{places}f}",
            "rank": r.rank,
            "grade": r.grade,
            "veto": r.veto,
        }
        for r in rnd.results.all()
    }
    existing = {r.unit_id: r for r in rnd.results.all()}
    for unit_id_text, res in results["units"].items():
        unit_id = int(unit_id_text)
        row = existing.get(unit_id) or RoundResult(round=rnd, unit_id=unit_id)
        row.category_code = res["category"]
        row.components = res["components"]
        row.bonus = Decimal(str(res["bonus"]))
        row.deduction = Decimal(str(res["deduction"]))
        row.composite = Decimal(res["composite"])
        row.rank = res["rank"]
        row.of = res["of"]
        row.grade = res["grade"]
        row.veto = res["veto"][:300]
        row.explanation = res["explanation"] | {"qualified": res["qualified"]}
        row.save()
    return previous


def _compute(inputs: dict[str, Any]) -> dict[str, Any]:
    try:
        return compute_round(inputs)
    except ValueError as exc:
        raise ValidationError(_("The round cannot be computed: %(why)s") % {"why": exc}) from exc


Progress = Callable[[int, int, str], None]


def appraisal_today() -> dt.date:
    """The day against which a round's period counts as ended (the county's local date); one
    function, so that a test can set the calendar without touching the whole clock."""
    return timezone.localdate()


@dataclass(frozen=True)
class RoundDraft:
    """A round computed but not yet stored: what ``round_store`` writes."""

    scheme: Scheme
    kind: str
    number: int
    as_of: dt.date
    rules: dict[str, Any]
    inputs: dict[str, Any]
    results: dict[str, Any]
    provisional: bool


def round_prepare(
    *,
    user: User,
    scheme: Scheme,
    kind: str,
    number: int,
    as_of: dt.date | None = None,
    rules: dict[str, Any] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RoundDraft:
    """Gather a round's snapshot from confirmed data and score it, writing nothing.

    A round whose period has not ended by ``today`` is a provisional preview on the data so
    far (as of today, against the part of each target due by today); a period that has not
    begun is refused. ``rules`` default to the scheme's rules in force for the kind."""
    require(user, Permission.ROUND_MANAGE)
    if scheme.county_id != county_id_of(user):
        raise PermissionDenied
    if kind not in RoundKind.values:
        raise ValidationError(_("Unknown kind of round."))
    number = 0 if kind == RoundKind.ANNUAL else number
    start, end = round_span(scheme, kind, number)
    today = today or appraisal_today()
    if today < start:
        raise ValidationError(
            _("This period begins on %(start)s: there is nothing to appraise yet.")
            % {"start": date_format(start, "DATE_FORMAT")}
        )
    provisional = today <= end
    as_of = as_of or (today if provisional else end)
    rules = copy.deepcopy(rules or rules_for(scheme, kind))
    if problems := check_rules(rules):
        raise ValidationError(problems)
    if progress:
        progress(0, 3, _("Gathering the confirmed data"))
    inputs = gather_inputs(scheme=scheme, kind=kind, number=number, as_of=as_of, rules=rules)
    if progress:
        progress(1, 3, _("Scoring every unit"))
    results = _compute(inputs)
    return RoundDraft(scheme, kind, number, as_of, rules, inputs, results, provisional)


@transaction.atomic
def round_store(*, user: User, draft: RoundDraft) -> Round:
    """Write a prepared round (new, or replacing a round not yet published) and audit it."""
    require(user, Permission.ROUND_MANAGE)
    scheme = draft.scheme
    if scheme.county_id != county_id_of(user):
        raise PermissionDenied
    existing = Round.objects.select_for_update().filter(
        scheme=scheme, kind=draft.kind, number=draft.number
    )
    rnd = existing.first()
    if rnd is not None and rnd.status != RoundStatus.COMPUTED:
        raise ValidationError(
            _("This round is published; only an appeal's amendment can change it now.")
        )
    if rnd is None:
        rnd = Round(county_id=scheme.county_id, scheme=scheme, kind=draft.kind, number=draft.number)
    else:
        rnd.version += 1
    rnd.as_of, rnd.rules, rnd.inputs = draft.as_of, draft.rules, draft.inputs
    rnd.inputs_hash, rnd.results_hash = digest(draft.inputs), digest(draft.results)
    rnd.computed_at, rnd.computed_by = timezone.now(), user
    rnd.provisional = draft.provisional
    rnd.save()
    _save_results(rnd, draft.results)
    audit_record(
        actor=user,
        action="round.compute",
        county_code=scheme.county.code,
        object_type="appraisal.Round",
        object_id=rnd.pk,
        after={
            "kind": draft.kind,
            "number": draft.number,
            "as_of": draft.as_of.isoformat(),
            "provisional": draft.provisional,
            "inputs_hash": rnd.inputs_hash,
            "results_hash": rnd.results_hash,
            "units": len(draft.results["units"]),
        },
    )
    return rnd


@transaction.atomic
def round_compute(
    *,
    user: User,
    scheme: Scheme,
    kind: str,
    number: int,
    as_of: dt.date | None = None,
    rules: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Round:
    """Compute (or recompute, while not yet published) a round from confirmed data, in one
    transaction (the command line and the tests; the page runs it as a background job).
    Before its period ends the round is a provisional preview (``round_prepare``)."""
    draft = round_prepare(
        user=user, scheme=scheme, kind=kind, number=number, as_of=as_of, rules=rules, today=today
    )
    return round_store(user=user, draft=draft)


def _refuse_provisional(rnd: Round, message: str) -> None:
    if rnd.provisional:
        raise ValidationError(message % {"end": date_format(rnd.period_end, "DATE_FORMAT")})


def round_rerun_hash(rnd: Round) -> str:
    """The hash of the results computed afresh from the round's frozen inputs."""
    return digest(compute_round(rnd.inputs))


def round_verify(rnd: Round) -> list[str]:
    """What does not hold between a round's stored snapshot, hashes and result rows; empty
    when the inputs still hash to their recorded hash, a rerun reproduces the results hash and
    every stored result reads as recomputed (nobody rewrote a score behind the services)."""
    problems = []
    if digest(rnd.inputs) != rnd.inputs_hash:
        problems.append("the stored inputs do not match their recorded hash")
    results = compute_round(rnd.inputs)
    if digest(results) != rnd.results_hash:
        problems.append("a rerun of the inputs does not reproduce the recorded results hash")
    places = int(rnd.rules.get("places", 2))
    for row in rnd.results.select_related("unit"):
        fresh = results["units"].get(str(row.unit_id))
        stored = (f"{row.composite:.{places}f}", row.rank, row.grade)
        if fresh is None or stored != (fresh["composite"], fresh["rank"], fresh["grade"]):
            problems.append(f"{row.unit.code}: stored {stored} differs from the rerun")
    return problems


def _locked(rnd: Round) -> Round:
    return Round.objects.select_for_update().select_related("scheme__county").get(pk=rnd.pk)


@transaction.atomic
def round_publish(*, user: User, round: Round, notice_days: int, today: dt.date) -> Round:
    """Publish a computed round for a notice period (公示) of ``notice_days`` days."""
    require(user, Permission.ROUND_MANAGE)
    rnd = _locked(round)
    if rnd.county_id != county_id_of(user):
        raise PermissionDenied
    _refuse_provisional(
        rnd,
        _(
            "This round is a provisional preview: its period ends on %(end)s. Compute it again "
            "after that day to publish it."
        ),
    )
    if rnd.status != RoundStatus.COMPUTED:
        raise ValidationError(_("Only a computed round is published."))
    if not 1 <= notice_days <= 30:
        raise ValidationError(_("The notice period lasts 1 to 30 days."))
    if round_rerun_hash(rnd) != rnd.results_hash:
        raise ValidationError(_("The stored results do not match their inputs; recompute first."))
    rnd.status = RoundStatus.PUBLISHED
    rnd.published_at = timezone.now()
    rnd.published_hash = rnd.results_hash
    rnd.notice_ends = today + dt.timedelta(days=notice_days)
    rnd.version += 1
    rnd.save(update_fields=["status", "published_at", "published_hash", "notice_ends", "version"])
    audit_record(
        actor=user,
        action="round.publish",
        county_code=rnd.scheme.county.code,
        object_type="appraisal.Round",
        object_id=rnd.pk,
        after={"notice_ends": rnd.notice_ends.isoformat(), "results_hash": rnd.results_hash},
    )
    unit_users = User.objects.filter(
        county_id=rnd.county_id, role=Role.UNIT, is_active=True, unit__round_results__round=rnd
    )
    notify(
        users=unit_users,
        kind="round.published",
        key=f"round-{rnd.pk}-published",
        title=_("Appraisal results published for comment until %(day)s")
        % {"day": rnd.notice_ends.isoformat()},
        url=reverse("appraisal:round", args=[rnd.pk]),
    )
    return rnd


@transaction.atomic
def round_finalise(*, user: User, round: Round, today: dt.date) -> Round:
    """Make a published round final once its notice period is over and every appeal answered."""
    require(user, Permission.ROUND_MANAGE)
    rnd = _locked(round)
    if rnd.county_id != county_id_of(user):
        raise PermissionDenied
    _refuse_provisional(
        rnd,
        _(
            "This round is a provisional preview (its period ends on %(end)s): it cannot "
            "become final."
        ),
    )
    if rnd.status != RoundStatus.PUBLISHED or rnd.notice_ends is None:
        raise ValidationError(_("Only a published round becomes final."))
    if today <= rnd.notice_ends:
        raise ValidationError(_("The notice period has not ended yet."))
    if rnd.appeals.filter(status=AppealStatus.FILED).exists():
        raise ValidationError(_("Answer every appeal before the results become final."))
    rnd.status = RoundStatus.FINAL
    rnd.finalised_at = timezone.now()
    rnd.version += 1
    rnd.save(update_fields=["status", "finalised_at", "version"])
    audit_record(
        actor=user,
        action="round.finalise",
        county_code=rnd.scheme.county.code,
        object_type="appraisal.Round",
        object_id=rnd.pk,
        after={"results_hash": rnd.results_hash},
    )
    return rnd


@transaction.atomic
def appeal_file(
    *,
    user: User,
    round: Round,
    reason: str,
    today: dt.date,
    evidence: UploadedFile | None = None,
) -> Appeal:
    """A unit appeals its own result during the notice period, with reasons and evidence."""
    require(user, Permission.APPEAL_FILE)
    rnd = _locked(round)
    unit_id = unit_id_of(user)
    if rnd.county_id != county_id_of(user) or not rnd.results.filter(unit_id=unit_id).exists():
        raise PermissionDenied
    _refuse_provisional(
        rnd,
        _(
            "This round is a provisional preview (its period ends on %(end)s): it cannot be "
            "appealed."
        ),
    )
    if rnd.status != RoundStatus.PUBLISHED or rnd.notice_ends is None or today > rnd.notice_ends:
        raise ValidationError(_("Appeals are taken only during the notice period."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the result is wrong.")})
    if rnd.appeals.filter(unit_id=unit_id, status=AppealStatus.FILED).exists():
        raise ValidationError(_("Your unit already has an appeal waiting for an answer."))
    appeal = Appeal(county_id=rnd.county_id, round=rnd, unit_id=unit_id, reason=reason.strip())
    appeal.filed_by = user
    if evidence is not None:
        try:
            checked = evidence_check(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
        evidence.seek(0)
        appeal.evidence_name = (evidence.name or "")[:200]
        appeal.evidence.save(stored_name(checked), evidence, save=False)
    appeal.save()
    audit_record(
        actor=user,
        action="appeal.file",
        county_code=rnd.scheme.county.code,
        object_type="appraisal.Appeal",
        object_id=appeal.pk,
        after={"round": rnd.pk, "unit": unit_id, "reason": appeal.reason},
    )
    return appeal


def _apply_correction(inputs: dict[str, Any], correction: dict[str, Any]) -> dict[str, Any]:
    """A copy of a round's inputs with one correction: a unit's value of a leaf, or an
    adjustment withdrawn."""
    fixed = copy.deepcopy(inputs)
    if correction.get("kind") == "value":
        unit, indicator = int(correction["unit"]), int(correction["indicator"])
        for row in fixed["values"]:
            if row[0] == unit and row[1] == indicator:
                row[2] = float(correction["value"])
                return fixed
        raise ValidationError(_("That unit has no target on that indicator in this round."))
    if correction.get("kind") == "withdraw_adjustment":
        kept = [a for a in fixed["adjustments"] if a.get("id") != int(correction["adjustment"])]
        if len(kept) == len(fixed["adjustments"]):
            raise ValidationError(_("That adjustment is not part of this round."))
        fixed["adjustments"] = kept
        return fixed
    raise ValidationError(_("Unknown kind of correction."))


def _correct_value_in_force(
    user: User, rnd: Round, appeal: Appeal, correction: dict[str, Any]
) -> None:
    """An upheld appeal's corrected value becomes the value in force, so that the battle map,
    the cell page and the bulletins show what the amended round scores."""
    report = report_in_force(
        unit_id=int(correction["unit"]),
        indicator_id=int(correction["indicator"]),
        as_of=dt.date.fromisoformat(rnd.inputs["round"]["as_of"]),
        confirmed_only=True,
    )
    if report is not None:
        report_correct(
            user=user,
            report=report,
            value=Decimal(str(correction["value"])),
            reason=_("Upheld appeal %(number)s on %(round)s")
            % {"number": appeal.pk, "round": str(rnd)},
        )


@transaction.atomic
def appeal_resolve(
    *,
    user: User,
    appeal: Appeal,
    uphold: bool,
    resolution: str,
    correction: dict[str, Any] | None = None,
) -> Appeal:
    """The office answers an appeal. Upholding it applies one correction to the round's frozen
    inputs, recomputes, and records a numbered amendment with every changed result."""
    require(user, Permission.ROUND_MANAGE)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    rnd = _locked(appeal.round)
    if rnd.county_id != county_id_of(user):
        raise PermissionDenied
    if appeal.status != AppealStatus.FILED:
        raise ValidationError(_("This appeal has already been answered."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what the re-check found.")})
    if uphold and not correction:
        raise ValidationError(_("An upheld appeal names the correction it makes."))
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
    appeal.resolution = resolution.strip()
    appeal.resolved_at, appeal.resolved_by = timezone.now(), user
    appeal.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
    after: dict[str, Any] = {"status": appeal.status, "resolution": appeal.resolution}
    if uphold and correction:
        if correction.get("kind") == "value" and int(correction["unit"]) != appeal.unit_id:
            raise ValidationError(_("An appeal corrects the appealing unit's own values."))
        inputs = _apply_correction(rnd.inputs, correction)
        if correction.get("kind") == "value":
            _correct_value_in_force(user, rnd, appeal, correction)
        results = _compute(inputs)
        before_hash = rnd.results_hash
        previous = _save_results(rnd, results)
        changes = []
        for unit_id_text, res in results["units"].items():
            old = previous.get(int(unit_id_text), {})
            new = {k: res[k] for k in RESULT_FIELDS}
            if old != new:
                changes.append({"unit": int(unit_id_text), "before": old, "after": new})
        rnd.results.filter(unit_id__in=[c["unit"] for c in changes]).update(amended=True)
        rnd.inputs, rnd.inputs_hash = inputs, digest(inputs)
        rnd.results_hash = digest(results)
        rnd.version += 1
        rnd.save(update_fields=["inputs", "inputs_hash", "results_hash", "version"])
        amendment = ResultAmendment.objects.create(
            round=rnd,
            number=rnd.amendments.count() + 1,
            appeal=appeal,
            correction=correction,
            changes=changes,
            results_hash_before=before_hash,
            results_hash_after=rnd.results_hash,
            created_by=user,
        )
        after |= {"amendment": amendment.number, "changes": changes, "correction": correction}
    audit_record(
        actor=user,
        action="appeal.resolve",
        county_code=rnd.scheme.county.code,
        object_type="appraisal.Appeal",
        object_id=appeal.pk,
        before={"status": AppealStatus.FILED},
        after=after,
    )
    return appeal


@transaction.atomic
def adjustment_add(
    *,
    user: User,
    scheme: Scheme,
    unit: Unit,
    kind: str,
    points: Decimal,
    reason: str,
    on: dt.date,
    code: str = "",
) -> Adjustment:
    """Record a bonus, a deduction or a veto event for a unit (before the round is computed)."""
    require(user, Permission.ROUND_MANAGE)
    if scheme.county_id != county_id_of(user) or unit.county_id != scheme.county_id:
        raise PermissionDenied
    if kind not in AdjustmentKind.values:
        raise ValidationError(_("Unknown kind of adjustment."))
    if kind == AdjustmentKind.VETO and code not in DEFAULT_RULES[RoundKind.ANNUAL]["vetoes"]:
        raise ValidationError({"code": _("Choose the kind of veto.")})
    if kind != AdjustmentKind.VETO and not Decimal(0) < points <= Decimal(20):
        raise ValidationError({"points": _("Points lie between 0 and 20.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if on.year != scheme.year:
        raise ValidationError({"on": _("The date lies outside the scheme's year.")})
    adj = Adjustment.objects.create(
        county_id=scheme.county_id,
        scheme=scheme,
        unit=unit,
        kind=kind,
        code=code if kind == AdjustmentKind.VETO else "",
        points=points if kind != AdjustmentKind.VETO else Decimal(0),
        reason=reason.strip(),
        on=on,
    )
    audit_record(
        actor=user,
        action="adjustment.add",
        county_code=scheme.county.code,
        object_type="appraisal.Adjustment",
        object_id=adj.pk,
        after={
            "unit": unit.code,
            "kind": kind,
            "code": adj.code,
            "points": str(adj.points),
            "reason": adj.reason,
            "on": on.isoformat(),
        },
    )
    return adj
