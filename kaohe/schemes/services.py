"""Writes on schemes: publishing, closing, amending a published scheme, editing a draft,
copying to a new year.

A published scheme changes only through ``scheme_amend``: numbered, with its reason, its
before/after values and an audit event, and re-checked so every category's points still add up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.documents.parameter_text import method_problem
from kaohe.org.access import Permission, require
from kaohe.org.models import User
from kaohe.schemes.models import (
    DataItem,
    Indicator,
    IndicatorPoints,
    Scheme,
    SchemeAmendment,
    SchemeCategory,
    SchemeStatus,
    SourceIndicator,
)
from kaohe.scoring.registry import validate_method

S = SchemeStatus
TRANSITIONS = {(S.DRAFT, S.PUBLISHED), (S.PUBLISHED, S.CLOSED)}


def _check(user: User, scheme: Scheme) -> None:
    require(user, Permission.SCHEME_MANAGE)
    if scheme.county_id != user.county_id:
        raise ValidationError(_("This scheme belongs to another county."))


def totals_problems(scheme: Scheme) -> list[str]:
    """Categories whose leaves' points do not add up to their total (empty: all balanced)."""
    problems = []
    for sc in SchemeCategory.objects.filter(scheme=scheme).select_related("category"):
        got = IndicatorPoints.objects.filter(
            indicator__scheme=scheme, category=sc.category
        ).aggregate(s=Sum("points"))["s"] or Decimal(0)
        if got != sc.total_points:
            problems.append(
                _(
                    "The leaves of category %(category)s add up to %(sum)s points, "
                    "not its total %(total)s."
                )
                % {"category": sc.category.code, "sum": got, "total": sc.total_points}
            )
    return problems


def _locked(scheme: Scheme, version: int | None) -> Scheme:
    """The scheme's row, locked for this transaction; a form opened on an older version (another
    clerk saved in between) is refused rather than overwriting their change."""
    scheme = Scheme.objects.select_for_update().select_related("county").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise ValidationError(
            _(
                "Someone else changed this scheme after you opened it (version %(yours)s, now "
                "%(now)s). Reload the page to see their change, then make yours again."
            )
            % {"yours": version, "now": scheme.version}
        )
    return scheme


def _bump(scheme: Scheme) -> None:
    scheme.version += 1
    scheme.save(update_fields=["version"])


def _move(scheme: Scheme, user: User, to: str, version: int | None = None) -> Scheme:
    _check(user, scheme)
    scheme = _locked(scheme, version)
    if (scheme.status, to) not in TRANSITIONS:
        raise ValidationError(
            _("A scheme that is %(status)s cannot become %(to)s.")
            % {"status": scheme.get_status_display(), "to": S(to).label}
        )
    before = scheme.status
    scheme.status = to
    scheme.version += 1
    scheme.save(update_fields=["status", "version"])
    audit_record(
        actor=user,
        action=f"scheme.{to}",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=scheme.pk,
        before={"status": before},
        after={"status": to},
    )
    return scheme


@transaction.atomic
def scheme_publish(*, user: User, scheme: Scheme, version: int | None = None) -> Scheme:
    """Publish a draft whose every category adds up; from then on only amendments change it."""
    _check(user, scheme)
    if scheme.status == S.DRAFT and (problems := totals_problems(scheme)):
        raise ValidationError(problems)
    return _move(scheme, user, S.PUBLISHED, version)


@transaction.atomic
def scheme_close(*, user: User, scheme: Scheme, version: int | None = None) -> Scheme:
    """Close a published scheme at the end of its year."""
    return _move(scheme, user, S.CLOSED, version)


def _apply(scheme: Scheme, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the changes to the scheme's leaves; what each changed, before and after."""
    recorded = []
    for change in changes:
        indicator = Indicator.objects.filter(scheme=scheme, code=change.get("indicator")).first()
        if indicator is None:
            raise ValidationError(
                _("Unknown indicator %(code)s.") % {"code": change.get("indicator")}
            )
        if "method" in change:
            method = {"kind": "completion_ratio", **change["method"]}
            if problems := validate_method(method):
                # The registry says it in English, naming codes: say it in the reader's words.
                kind = str(method.get("kind"))
                raise ValidationError(
                    [f"{indicator.code}: {method_problem(p, kind)}" for p in problems]
                )
            recorded.append(
                {"indicator": indicator.code, "before": indicator.method, "after": method}
            )
            indicator.method = method
            indicator.save(update_fields=["method"])
        if "points" in change:
            row = IndicatorPoints.objects.filter(
                indicator=indicator, category__code=change.get("category")
            ).first()
            category = SchemeCategory.objects.filter(
                scheme=scheme, category__code=change.get("category")
            ).first()
            if category is None:
                raise ValidationError(
                    _("Unknown category %(code)s.") % {"code": change.get("category")}
                )
            points = Decimal(str(change["points"]))
            if points < 0:
                raise ValidationError(_("Points must not be negative."))
            before = str(row.points) if row else None
            if row is None:
                row = IndicatorPoints(
                    indicator=indicator, category=category.category, points=points
                )
                row.save()
            else:
                row.points = points
                row.save(update_fields=["points"])
            recorded.append(
                {
                    "indicator": indicator.code,
                    "category": category.category.code,
                    "before": before,
                    "after": str(points),
                }
            )
    return recorded


@transaction.atomic
def scheme_amend(
    *,
    user: User,
    scheme: Scheme,
    reason: str,
    changes: list[dict[str, Any]],
    version: int | None = None,
) -> SchemeAmendment:
    """Amend a published scheme: each change names an indicator and sets its points for a
    category (``{"indicator": code, "category": code, "points": n}``) or its method
    (``{"indicator": code, "method": {...}}``). Refused unless every category still adds up.

    ``version`` is the scheme's version the form was opened on: a stale form is refused."""
    _check(user, scheme)
    scheme = _locked(scheme, version)
    if scheme.status != S.PUBLISHED:
        raise ValidationError(_("Only a published scheme is amended; edit a draft directly."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the scheme is amended.")})
    if not changes:
        raise ValidationError(_("The amendment changes nothing."))
    recorded = _apply(scheme, changes)
    if problems := totals_problems(scheme):
        raise ValidationError(problems)
    number = (
        scheme.amendments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    amendment = SchemeAmendment.objects.create(
        scheme=scheme, number=number, reason=reason.strip(), changes=recorded, created_by=user
    )
    _bump(scheme)
    audit_record(
        actor=user,
        action="scheme.amend",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=scheme.pk,
        after={"number": number, "reason": amendment.reason, "changes": recorded},
    )
    return amendment


@transaction.atomic
def scheme_edit(
    *, user: User, scheme: Scheme, changes: list[dict[str, Any]], version: int | None = None
) -> Scheme:
    """Change a draft's leaves directly (the same changes as ``scheme_amend``), audited.

    A draft need not add up yet: publishing checks the totals."""
    _check(user, scheme)
    scheme = _locked(scheme, version)
    if scheme.status != S.DRAFT:
        raise ValidationError(
            _("A scheme that is %(status)s changes only through a numbered amendment.")
            % {"status": scheme.get_status_display()}
        )
    if not changes:
        raise ValidationError(_("The change changes nothing."))
    recorded = _apply(scheme, changes)
    _bump(scheme)
    audit_record(
        actor=user,
        action="scheme.edit",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=scheme.pk,
        after={"changes": recorded},
    )
    return scheme


@transaction.atomic
def scheme_copy(*, user: User, scheme: Scheme, year: int) -> Scheme:
    """A new year's scheme starts as a draft copy of this one (its tree, points, methods,
    categories, data items, higher-level indicators and round rules; not its amendments)."""
    _check(user, scheme)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Give a year between 2000 and 2100."))
    if Scheme.objects.filter(county_id=scheme.county_id, year=year).exists():
        raise ValidationError(_("The county already has a scheme for %(year)s.") % {"year": year})
    copy = Scheme.objects.create(
        county_id=scheme.county_id,
        year=year,
        name=scheme.name.replace(str(scheme.year), str(year)),
        rules_text=scheme.rules_text,
        # The rules of the rounds carry over; the copy is the office's own draft, never demo data.
        appraisal_rules=scheme.appraisal_rules,
        score_places=scheme.score_places,
        warn_yellow=scheme.warn_yellow,
        warn_orange=scheme.warn_orange,
        warn_red=scheme.warn_red,
    )
    SchemeCategory.objects.bulk_create(
        SchemeCategory(scheme=copy, category_id=sc.category_id, total_points=sc.total_points)
        for sc in scheme.categories.all()
    )
    DataItem.objects.bulk_create(
        DataItem(
            county_id=d.county_id,
            scheme=copy,
            code=d.code,
            name=d.name,
            name_en=d.name_en,
            unit_of_measure=d.unit_of_measure,
            cumulative=d.cumulative,
        )
        for d in scheme.data_items.all()
    )
    SourceIndicator.objects.bulk_create(
        SourceIndicator(county_id=s.county_id, scheme=copy, code=s.code, name=s.name)
        for s in scheme.source_indicators.all()
    )
    mapping: dict[int, Indicator] = {}
    for ind in Indicator.objects.filter(scheme=scheme).order_by("level", "position"):
        old = ind.pk
        ind.pk = None
        ind.scheme = copy
        ind.parent = mapping.get(ind.parent_id) if ind.parent_id else None
        ind.save(force_insert=True)
        mapping[old] = ind
    IndicatorPoints.objects.bulk_create(
        IndicatorPoints(
            indicator=mapping[p.indicator_id], category_id=p.category_id, points=p.points
        )
        for p in IndicatorPoints.objects.filter(indicator__scheme=scheme)
    )
    audit_record(
        actor=user,
        action="scheme.copy",
        county_code=copy.county.code,
        object_type="scheme",
        object_id=copy.pk,
        after={"from": scheme.pk, "year": year, "indicators": len(mapping)},
    )
    return copy
