"""Ranks within a category: ties share the better rank."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.standings import competition_ranks


def test_tied_units_share_the_better_rank_and_the_next_rank_skips() -> None:
    assert competition_ranks([90, 95, 95, 80]).tolist() == [3, 1, 1, 4]


def test_lower_is_better_ranks_the_smallest_first() -> None:
    assert competition_ranks([3, 1, 2], higher_is_better=False).tolist() == [3, 1, 2]


def test_a_unit_without_a_total_ranks_last() -> None:
    assert competition_ranks([np.nan, 50, 70]).tolist() == [3, 2, 1]


@given(st.lists(st.integers(0, 20), min_size=1, max_size=30))
def test_each_rank_is_one_more_than_the_units_strictly_ahead(totals: list[int]) -> None:
    ranks = competition_ranks(totals).tolist()
    for total, rank in zip(totals, ranks, strict=True):
        assert rank == 1 + sum(1 for other in totals if other > total)
