"""Ranks within a category, at the scheme's precision, with an explanation per rank."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring import rank_within, round_half_up

scores = st.lists(
    st.one_of(st.integers(0, 10_000).map(lambda n: n / 1000), st.just(math.nan)), min_size=1
)


@given(scores, st.sampled_from([None, 0, 1, 2]), st.booleans())
def test_each_rank_is_one_more_than_the_units_strictly_ahead_at_the_shown_precision(
    values: list[float], places: int | None, higher: bool
) -> None:
    result = rank_within(values, higher_is_better=higher, places=places)
    shown = [
        v if places is None or math.isnan(v) else float(round_half_up(v, places)) for v in values
    ]
    scored = [v for v in shown if not math.isnan(v)]
    for i, v in enumerate(shown):
        if math.isnan(v):
            assert result.ranks[i] == len(scored) + 1
        else:
            ahead = sum(1 for w in scored if (w > v if higher else w < v))
            assert result.ranks[i] == ahead + 1
            assert result.explain(i).inputs["ahead"] == ahead
        assert result.explain(i).result == int(result.ranks[i])
