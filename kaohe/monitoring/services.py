"""Recomputing warnings from approved values. The colour itself comes from kaohe.scoring."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.monitoring.models import Warning
from kaohe.org.models import Unit
from kaohe.reporting.models import Target
from kaohe.reporting.selectors import values_in_force
from kaohe.schemes.models import Indicator, Scheme
from kaohe.scoring.rank_warnings import RELATIVE_METHODS, rank_warning_levels
from kaohe.scoring.schedule import linear_share, milestone_share, monthly_share
from kaohe.scoring.warnings import WarningThresholds, warning_levels


def thresholds_of(scheme: Scheme) -> WarningThresholds:
    return WarningThresholds(
        yellow=float(scheme.warn_yellow),
        orange=float(scheme.warn_orange),
        red=float(scheme.warn_red),
    )


def schedule_share(
    indicator: Indicator, scheme: Scheme, as_of: date, monthly_shares: list[Any] | None = None
) -> float:
    """Share of the yearly target due by as_of: the target's milestones (pairs of date and
    share) or seasonal profile (twelve monthly shares) when it has one (``Target.profile``), else
    the linear schedule, for cumulative values; a rate or level indicator is held to its whole
    target at any date."""
    if not indicator.cumulative:
        return 1.0
    if monthly_shares and isinstance(monthly_shares[0], list | tuple):
        return milestone_share(as_of, monthly_shares)
    if monthly_shares:
        return monthly_share(as_of, monthly_shares)
    return linear_share(as_of, date(scheme.year, 1, 1), date(scheme.year, 12, 31))


def warns_by_rank(indicator: Indicator) -> bool:
    """Indicators scored among peers warn by their rank in the category (rank_warnings)."""
    return (indicator.method or {}).get("kind") in RELATIVE_METHODS


def warnings_compute(
    *,
    indicator: Indicator,
    scheme: Scheme,
    as_of: date,
    targets: list[tuple[int, Decimal]],
    values: dict[int, Decimal | None],
    profiles: dict[int, list[float]] | None = None,
) -> list[Warning]:
    """Unsaved warnings of one indicator on one date for the given (unit, target) pairs.

    One vectorised call to kaohe.scoring colours every unit at once; values are each unit's
    latest approved cumulative value (missing: no data).
    """
    vals = np.array([float(v) if (v := values.get(u)) is not None else np.nan for u, _t in targets])
    goals = np.array([float(t) for _u, t in targets])
    profiles = profiles or {}
    shares = np.array(
        [schedule_share(indicator, scheme, as_of, profiles.get(u)) for u, _t in targets]
    )
    if not indicator.higher_is_better and indicator.cumulative:
        # A cumulative ceiling (accidents, complaints) is judged by pace: the value so far
        # against the share of the yearly ceiling the schedule allows by now.
        batch = warning_levels(
            vals,
            goals * shares,
            np.ones_like(shares),
            higher_is_better=False,
            thresholds=thresholds_of(scheme),
        )
    else:
        batch = warning_levels(
            vals,
            goals,
            shares,
            higher_is_better=indicator.higher_is_better,
            thresholds=thresholds_of(scheme),
        )
    levels = [int(v) for v in batch.levels]
    by_rank: dict[int, dict[str, Any]] = {}
    if warns_by_rank(indicator):
        # Scored among peers: the colour is the unit's standing in its category.
        category_of = dict(
            Unit.objects.filter(pk__in=[u for u, _t in targets]).values_list("pk", "category_id")
        )
        for category in set(category_of.values()):
            members = [i for i, (u, _t) in enumerate(targets) if category_of.get(u) == category]
            ranked = rank_warning_levels(vals[members], higher_is_better=indicator.higher_is_better)
            for k, i in enumerate(members):
                levels[i] = int(ranked.levels[k])
                by_rank[i] = ranked.explanations[k].as_dict()
    out = []
    for i, (unit_id, goal) in enumerate(targets):
        completion = float(batch.completion[i])
        out.append(
            Warning(
                county_id=indicator.county_id,
                unit_id=unit_id,
                indicator=indicator,
                as_of=as_of,
                level=levels[i],
                value=values.get(unit_id),
                target=goal,
                completion=None if np.isnan(completion) else completion,
                schedule=float(shares[i]),
                explanation=by_rank.get(i) or batch.explanations[i].as_dict(),
            )
        )
    return out


@transaction.atomic
def warning_refresh(
    *,
    indicator: Indicator,
    as_of: date,
    unit_ids: Iterable[int] | None = None,
    actor: object = None,
) -> list[Warning]:
    """Recompute and keep the warning of an indicator on a date for its units (all, or some).

    The value is each unit's latest approved or confirmed cumulative value with a period ending
    on or before as_of. Re-running it for the same date replaces that date's rows (idempotent);
    rows of other dates stay, as the colour's history.
    """
    scheme = indicator.scheme
    targets = Target.objects.filter(indicator=indicator)
    # One unit's value moves every peer's rank: an indicator warned by rank is redone whole.
    if unit_ids is not None and not warns_by_rank(indicator):
        targets = targets.filter(unit_id__in=list(unit_ids))
    rows = list(
        targets.values_list("unit_id", "annual_target", "schedule", "monthly_shares", "milestones")
    )
    target_rows = [(u, t) for u, t, _k, _s, _m in rows]
    profiles = {
        u: (m if kind == "milestones" else s)
        for u, _t, kind, s, m in rows
        if (kind == "monthly" and s) or (kind == "milestones" and m)
    }
    if not target_rows:
        return []
    latest = {
        unit_id: value
        for (unit_id, _i), value in values_in_force(
            as_of=as_of, unit_ids=[u for u, _t in target_rows], indicator_ids=[indicator.pk]
        ).items()
    }
    computed = warnings_compute(
        indicator=indicator,
        scheme=scheme,
        as_of=as_of,
        targets=target_rows,
        values=latest,
        profiles=profiles,
    )
    saved = []
    for warning in computed:
        fields = ["county_id", "level", "value", "target", "completion", "schedule", "explanation"]
        kept, _created = Warning.objects.update_or_create(
            unit_id=warning.unit_id,
            indicator=indicator,
            as_of=as_of,
            defaults={f: getattr(warning, f) for f in fields},
        )
        saved.append(kept)
    audit_record(
        actor=actor or "system",
        action="warning.refresh",
        county_code=scheme.county.code,
        object_type="indicator",
        object_id=indicator.pk,
        after={"as_of": as_of, "levels": {w.unit_id: w.level for w in saved}},
    )
    # The year-end forecast goes with the warning (predictive warning, docs/forecast.md).
    from kaohe.monitoring.forecast import forecast_refresh  # it imports this module

    forecast_refresh(indicator=indicator, as_of=as_of, warnings=saved, actor=actor)
    return saved
