"""The snapshot a round is computed from, gathered from confirmed data.

Everything ``kaohe.scoring.rounds.compute_round`` needs, as plain JSON: rules, categories and
units, leaf indicators with methods and points, each unit's latest confirmed value with its
target due by the round's date on its schedule (the whole target at year end),
the quarterly rounds' composites, higher-level results, ratings and adjustments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.appraisal.models import (
    Adjustment,
    HigherResult,
    Rating,
    RatingGroup,
    Round,
    RoundKind,
    RoundStatus,
)
from kaohe.org.models import Unit
from kaohe.reporting.calendar import month_end
from kaohe.reporting.models import Period
from kaohe.results.state import state_inputs
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme, SchemeCategory

GRADES = [["优秀", 95], ["良好", 85], ["一般", 70], ["较差", None]]

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    RoundKind.QUARTERLY: {
        "components": {"own": 1.0},
        "grades": GRADES,
        "quotas": {},
        "vetoes": {"major_accident": "较差", "discipline": "一般"},
        "bonus_cap": 3,
        "deduction_cap": 10,
        "places": 2,
    },
    RoundKind.ANNUAL: {
        "components": {"own": 0.6, "quarterly": 0.1, "higher": 0.1, "rating": 0.2},
        "grades": GRADES,
        "quotas": {"优秀": {"share": 0.3, "rounding": "down"}},
        "vetoes": {"major_accident": "较差", "discipline": "一般"},
        "bonus_cap": 3,
        "deduction_cap": 10,
        "places": 2,
    },
}

# The kinds of veto (一票否决) a round's rules cap a unit's grade for, named for the page.
VETO_KINDS = {
    "major_accident": gettext_lazy("A major safety accident"),
    "discipline": gettext_lazy("A disciplinary case in the unit's leadership"),
}


def rules_in(appraisal_rules: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    """A kind of round's rules from a scheme's ``appraisal_rules`` (or a stored version of
    them): the scheme's own settings over the defaults."""
    own = (appraisal_rules or {}).get(kind) or {}
    return DEFAULT_RULES[kind] | own


def rules_for(scheme: Scheme, kind: str) -> dict[str, Any]:
    """A kind of round's rules: the scheme's own (``Scheme.appraisal_rules``) over the defaults."""
    return rules_in(scheme.appraisal_rules, kind)


def quarter_dates(year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter ``number`` (1 to 4)."""
    return dt.date(year, 3 * number - 2, 1), month_end(year, 3 * number)


def round_span(scheme: Scheme, kind: str, number: int) -> tuple[dt.date, dt.date]:
    if kind == RoundKind.QUARTERLY:
        if not 1 <= number <= 4:
            raise ValidationError(_("A quarterly round is numbered 1 to 4."))
        return quarter_dates(scheme.year, number)
    return dt.date(scheme.year, 1, 1), dt.date(scheme.year, 12, 31)


# The reporting period in which an indicator of each frequency is due.
PERIOD_OF_FREQUENCY = {
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "half": "half",
    "yearly": "year",
}


def _due(scheme: Scheme, leaves: list[Indicator], as_of: dt.date) -> set[int]:
    """Leaves with at least one reporting period ended by ``as_of``: the others (a yearly
    indicator in a quarterly round) are not yet appraised and count for nothing either way."""
    ended = set(Period.objects.filter(scheme=scheme, end__lte=as_of).values_list("kind", flat=True))
    return {i.pk for i in leaves if PERIOD_OF_FREQUENCY.get(i.frequency, "month") in ended}


def _values(
    scheme: Scheme, units: list[Unit], leaves: list[Indicator], as_of: dt.date
) -> list[list[Any]]:
    """[unit, leaf, value, target] for every unit and leaf with a confirmed value or a target,
    read through the year's one read model: the value in force as of the round's date and the
    part of the target due by then on its schedule (the whole target at the year's end, so a
    final annual round scores exactly as the pages do; a preview before then is not judged
    against work not yet due)."""
    inputs = state_inputs(
        scheme=scheme,
        as_of=as_of,
        units=units,
        leaves=leaves,
        confirmed_only=True,
        due_by_date=True,
    )
    keys = sorted(set(inputs.values) | set(inputs.targets))
    return [[u, i, inputs.values.get((u, i)), inputs.targets.get((u, i))] for u, i in keys]


def _quarterly(scheme: Scheme) -> dict[str, float]:
    rounds = Round.objects.filter(
        scheme=scheme,
        kind=RoundKind.QUARTERLY,
        status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL],
    )
    sums: dict[str, list[float]] = defaultdict(list)
    for r in rounds:
        for unit_id, composite in r.results.values_list("unit_id", "composite"):
            sums[str(unit_id)].append(float(composite))
    if not sums:
        raise ValidationError(
            _("The annual round weighs the quarterly rounds, but none is published yet.")
        )
    return {u: round(sum(v) / len(v), 4) for u, v in sums.items()}


def _higher(scheme: Scheme, units: list[Unit], leaves: list[Indicator]) -> dict[str, float]:
    results = list(HigherResult.objects.filter(scheme=scheme).select_related("source"))
    if not results:
        raise ValidationError(
            _("The annual round weighs the higher-level results, but none has been entered.")
        )
    overall = next((float(r.score) for r in results if r.source_id is None), None)
    by_code = {r.source.code: float(r.score) for r in results if r.source is not None}
    lines: dict[int, list[float]] = defaultdict(list)
    for leaf in leaves:
        if leaf.assessor_id and leaf.source_code in by_code:
            lines[leaf.assessor_id].append(by_code[leaf.source_code])
    table: dict[str, float] = {}
    for unit in units:
        mine = lines.get(unit.pk)
        if mine:
            table[str(unit.pk)] = round(sum(mine) / len(mine), 4)
        elif overall is not None:
            table[str(unit.pk)] = overall
    return table


def _ratings(scheme: Scheme, rules: dict[str, Any]) -> dict[str, Any]:
    """The evaluator groups with their ballots. The rules' own groups (``rating_groups``, set on
    the round rules page) give the weights when they name any; otherwise each group weighs what
    was given when its ballots were imported. A group the rules weigh but whose ballots are not
    imported gives no vote (its weight is left out unit by unit, as for an abstention)."""
    rows = list(RatingGroup.objects.filter(scheme=scheme))
    named = rules.get("rating_groups")
    spec: list[dict[str, Any]]
    if named:
        spec = [
            {
                "code": str(g["code"]),
                "name": str(g["name"]),
                "weight": float(g["weight"]),
                "drop_extremes": bool(g.get("drop_extremes")),
            }
            for g in named
        ]
        unweighed = sorted({g.code for g in rows} - {str(g["code"]) for g in spec})
        if unweighed:
            raise ValidationError(
                _(
                    "Ballots of the evaluator groups %(codes)s are imported, but the round rules "
                    "do not weigh them: add them on the round rules page."
                )
                % {"codes": ", ".join(unweighed)}
            )
    else:
        spec = [
            {
                "code": g.code,
                "name": g.name,
                "weight": float(g.weight),
                "drop_extremes": g.drop_extremes,
            }
            for g in rows
        ]
    if not spec:
        raise ValidationError(
            _("The annual round weighs the evaluators' ratings, but no evaluator group exists.")
        )
    tables: dict[str, dict[str, list[float]]] = {str(g["code"]): defaultdict(list) for g in spec}
    code_of = {g.pk: g.code for g in rows}
    for group_id, unit_id, points in (
        Rating.objects.filter(group__in=rows)
        .order_by("group_id", "unit_id", "evaluator")
        .values_list("group_id", "unit_id", "points")
    ):
        tables[code_of[group_id]][str(unit_id)].append(float(points))
    return {"groups": spec, "tables": {code: dict(t) for code, t in tables.items()}}


def gather_inputs(
    *, scheme: Scheme, kind: str, number: int, as_of: dt.date, rules: dict[str, Any]
) -> dict[str, Any]:
    """The snapshot of one round, from the database as it stands."""
    start, end = round_span(scheme, kind, number)
    categories = {
        sc.category.code: {"name": sc.category.name, "total": float(sc.total_points)}
        for sc in SchemeCategory.objects.filter(scheme=scheme).select_related("category")
    }
    units = list(
        Unit.objects.filter(
            county_id=scheme.county_id, is_assessed=True, category__code__in=list(categories)
        )
        .select_related("category")
        .order_by("code")
    )
    leaves = list(
        Indicator.objects.filter(scheme=scheme, children__isnull=True).order_by("position", "code")
    )
    due = _due(scheme, leaves, min(as_of, end))
    leaves = [i for i in leaves if i.pk in due]
    points: dict[int, dict[str, float]] = defaultdict(dict)
    for ind_id, code, pts in IndicatorPoints.objects.filter(indicator__in=leaves).values_list(
        "indicator_id", "category__code", "points"
    ):
        points[ind_id][code] = float(pts)
    weights = rules.get("components") or {}
    adjustments = Adjustment.objects.filter(
        scheme=scheme, withdrawn=False, on__gte=start, on__lte=min(as_of, end)
    ).order_by("on", "pk")
    inputs: dict[str, Any] = {
        "round": {"kind": kind, "number": number, "year": scheme.year, "as_of": as_of.isoformat()},
        "rules": rules,
        "categories": categories,
        "units": [
            {"id": u.pk, "code": u.code, "name": u.name, "category": u.category.code}
            for u in units
            if u.category is not None
        ],
        "indicators": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "method": i.method or {"kind": "completion_ratio"},
                "higher_is_better": i.higher_is_better,
                "points": points.get(i.pk, {}),
            }
            for i in leaves
        ],
        "values": _values(scheme, units, leaves, as_of) if weights.get("own") else [],
        "adjustments": [
            {
                "id": a.pk,
                "unit": a.unit_id,
                "kind": a.kind,
                "code": a.code,
                "points": float(a.points),
                "reason": a.reason,
            }
            for a in adjustments
        ],
    }
    if weights.get("quarterly"):
        inputs["quarterly"] = _quarterly(scheme)
    if weights.get("higher"):
        inputs["higher"] = _higher(scheme, units, leaves)
    if weights.get("rating"):
        inputs["ratings"] = _ratings(scheme, rules)
    return inputs
