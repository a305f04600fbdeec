"""Peer ranking selectors: the county's place among its prefecture's counties."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from kaohe.dashboard.models import PeerMetric, PeerStat
from kaohe.org.access import Permission, require
from kaohe.org.models import County, User
from kaohe.scoring.standings import competition_ranks


@dataclass(frozen=True)
class PeerCell:
    value: Decimal | None
    rank: int | None
    synthetic: bool


@dataclass(frozen=True)
class PeerTable:
    period: str | None
    counties: list[County]
    rows: list[tuple[PeerMetric, list[PeerCell]]]
    own_ranks: dict[str, int]
    any_synthetic: bool


def peer_table(*, user: User, period: str | None = None) -> PeerTable:
    """Every statistic against every county of the user's prefecture, ranked (three queries)."""
    require(user, Permission.BATTLEMAP_VIEW)
    county = user.county
    assert county is not None
    stats = PeerStat.objects.filter(metric__prefecture_code=county.prefecture_code)
    periods = sorted(set(stats.values_list("period", flat=True)))
    if not periods:
        return PeerTable(None, [], [], {}, False)
    period = period if period in periods else periods[-1]
    counties = list(County.objects.filter(prefecture_code=county.prefecture_code).order_by("code"))
    col = {c.pk: n for n, c in enumerate(counties)}
    metrics = list(PeerMetric.objects.filter(prefecture_code=county.prefecture_code))
    values: dict[tuple[int, int], PeerStat] = {
        (s.metric_id, s.county_id): s for s in stats.filter(period=period)
    }
    rows = []
    own: dict[str, int] = {}
    for metric in metrics:
        raw = np.array(
            [
                float(values[(metric.pk, c.pk)].value) if (metric.pk, c.pk) in values else np.nan
                for c in counties
            ]
        )
        ranks = competition_ranks(raw, higher_is_better=metric.higher_is_better)
        cells = []
        for c in counties:
            stat = values.get((metric.pk, c.pk))
            rank = int(ranks[col[c.pk]]) if stat is not None else None
            cells.append(
                PeerCell(stat.value if stat else None, rank, bool(stat and stat.synthetic))
            )
            if c.pk == county.pk and rank is not None:
                own[metric.code] = rank
        rows.append((metric, cells))
    synthetic = any(cell.synthetic for _m, cells in rows for cell in cells)
    return PeerTable(period, counties, rows, own, synthetic)
