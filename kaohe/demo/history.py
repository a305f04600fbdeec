"""Synthetic earlier years for the demo county: three years of month-end cumulative values per unit
and cumulative indicator, so the predictive warning has seasonal profiles to learn from and a
history to be back-tested on (`kaohe forecast_backtest`, docs/forecast.md).

Everything here is SYNTHETIC (monitoring.HistoricalValue.source = "synthetic"): no figure of
Baojing's earlier years is real. The shapes are plausible, not measured: investment and projects
back-loaded, revenue pushed at the year end, planting in spring, tourism in the holidays, and
most work slowed by the Spring Festival. Each unit-year draws its own noise around its indicator's
shape and its own pace against that year's target, from one seeded generator (deterministic).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt

from kaohe.demo import indicators as tree
from kaohe.monitoring.forecast import forecasts_compute
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource, Warning
from kaohe.reporting.models import Target
from kaohe.schemes.models import Scheme

SEED: Final = 2019
YEARS: Final = 3
#: Targets grew by this much a year: an earlier year's target is this year's deflated.
GROWTH: Final = 1.06
#: How much one year's monthly increments wander around the indicator's shape (log scale).
MONTH_NOISE: Final = 0.2
# Units of measure that count whole things (as in builder.COUNTED): values are whole numbers.
_COUNTED = frozenset({"个", "项", "户", "人", "人次", "件", "篇", "起", "家", "次", "所", "座"})

#: Relative monthly increments, January to December, of each seasonal shape.
SHAPES: Final[dict[str, tuple[float, ...]]] = {
    # Spring Festival slows January and February; December closes the books.
    "even": (0.7, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.5),
    # Investment and projects: slow start, peak in the second half.
    "back": (0.3, 0.3, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.9),
    # Revenue and funds won from above: arrive in the last months.
    "year_end": (0.6, 0.4, 0.8, 0.8, 0.8, 1.0, 0.8, 0.8, 1.0, 1.0, 1.4, 2.6),
    # Planting, afforestation: spring, then autumn.
    "spring": (0.6, 1.0, 2.2, 2.0, 1.4, 0.8, 0.5, 0.4, 0.6, 0.9, 0.8, 0.4),
    # Tourism: Spring Festival, May Day, summer, National Day.
    "holiday": (1.2, 1.3, 0.7, 0.9, 1.3, 0.9, 1.4, 1.5, 0.9, 1.5, 0.6, 0.5),
}
_KEYWORDS: Final = (
    ("holiday", ("游客", "旅游")),
    ("spring", ("种植", "造林", "播种", "改造面积", "农田")),
    ("back", ("投资", "项目", "开工", "公路", "危房", "户厕", "老旧小区")),
    ("year_end", ("收入", "税", "资金", "外资", "产值", "销售")),
)


def shape_of(name: str) -> str:
    """The seasonal shape of an indicator, from words of its name (else "even")."""
    for shape, words in _KEYWORDS:
        if any(w in name for w in words):
            return shape
    return "even"


def _cumulative(
    rng: np.random.Generator, shape: str, total: float, whole: bool
) -> npt.NDArray[np.float64]:
    increments = np.asarray(SHAPES[shape]) * rng.lognormal(0.0, MONTH_NOISE, 12)
    path = total * np.cumsum(increments) / increments.sum()
    if whole:
        path = np.round(path)  # a rounded running total still never falls
    out: npt.NDArray[np.float64] = np.round(path, 2)
    return out


def demo_history_build(*, scheme: Scheme) -> dict[str, int]:
    """Write the synthetic earlier years of every unit's cumulative indicators, then the forecast
    of each unit's latest warning. Runs inside the demo build's transaction and audit event."""
    rng = np.random.default_rng(SEED)
    targets = list(
        Target.objects.filter(scheme=scheme, indicator__cumulative=True)
        .select_related("indicator")
        .order_by("indicator__position", "unit__code")
    )
    pace_of_unit: dict[int, float] = {}
    rows: list[HistoricalValue] = []
    for target in targets:
        leaf = target.indicator
        pace = pace_of_unit.setdefault(target.unit_id, float(rng.uniform(0.92, 1.06)))
        whole = leaf.unit_of_measure in _COUNTED
        for back in range(YEARS, 0, -1):
            goal = float(target.annual_target) / GROWTH**back
            if whole:
                goal = max(round(goal), 1)
            if (leaf.method or {}).get("kind") == "deduction":
                # Events that should not happen (accidents, petitions) come at the leaf's
                # yearly rate, as this year's do (builder._event_days), not near the ceiling.
                total = float(rng.poisson(tree.indicator(leaf.code).demo_events or 0.5))
            elif leaf.higher_is_better:
                total = goal * pace * float(rng.normal(1.0, 0.07))
            else:  # a ceiling: most keep under it, some break it
                total = goal * float(rng.uniform(0.6, 1.15))
            values = _cumulative(rng, shape_of(leaf.name), max(total, 0.0), whole)
            rows.extend(
                HistoricalValue(
                    county_id=scheme.county_id,
                    unit_id=target.unit_id,
                    indicator_code=leaf.code,
                    year=scheme.year - back,
                    month=month,
                    value=Decimal(str(float(value))),
                    target=Decimal(str(round(goal, 2))),
                    source=HistorySource.SYNTHETIC,
                )
                for month, value in enumerate(values, start=1)
            )
    HistoricalValue.objects.bulk_create(rows, batch_size=2000)
    forecasts = _latest_forecasts(scheme)
    return {"historical_values": len(rows), "forecasts": len(forecasts)}


def _latest_forecasts(scheme: Scheme) -> list[Forecast]:
    """The forecast of each unit's latest warning of each cumulative indicator."""
    latest: dict[tuple[int, int], Warning] = {}
    for w in (
        Warning.objects.filter(indicator__scheme=scheme, indicator__cumulative=True)
        .select_related("indicator")
        .order_by("as_of")
    ):
        latest[(w.unit_id, w.indicator_id)] = w
    groups: dict[tuple[int, dt.date], list[Warning]] = defaultdict(list)
    for w in latest.values():
        groups[(w.indicator_id, w.as_of)].append(w)
    out: list[Forecast] = []
    for (_indicator_id, as_of), warnings in groups.items():
        out.extend(
            forecasts_compute(
                indicator=warnings[0].indicator, scheme=scheme, as_of=as_of, warnings=warnings
            )
        )
    Forecast.objects.bulk_create(out, batch_size=2000)
    return out
