"""The explanation-free fast path gives exactly the scores the explained path gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.methods import completion_ratio, completion_ratio_array
from kaohe.scoring.rounding import round_half_up, round_half_up_array

MONEY = st.integers(0, 10**9).map(lambda n: n / 100)


@given(
    st.lists(st.integers(-(10**9), 10**9).map(lambda n: n / 1000), min_size=1, max_size=50),
    st.integers(0, 4),
)
def test_vectorised_half_up_rounding_equals_the_decimal_path(
    values: list[float], places: int
) -> None:
    fast = round_half_up_array(values, places)
    slow = [float(round_half_up(v, places)) for v in values]
    assert fast.tolist() == slow


def test_the_classic_traps_round_half_up() -> None:
    assert round_half_up_array([2.675, 0.125, 1.005, -2.675, 8.344999999999999], 2).tolist() == [
        2.68,
        0.13,
        1.01,
        -2.68,
        8.35,
    ]


@given(
    st.lists(
        st.tuples(MONEY, st.integers(1, 10**7).map(lambda n: n / 100)), min_size=1, max_size=40
    ),
    st.integers(1, 100),
    st.sampled_from([1.0, 1.2]),
    st.booleans(),
)
def test_the_fast_path_equals_completion_ratio(
    pairs: list[tuple[float, float]], points: int, cap: float, higher: bool
) -> None:
    x = np.array([p[0] for p in pairs])
    t = np.array([p[1] for p in pairs])
    slow = completion_ratio(x, t, points, cap=cap, higher_is_better=higher)
    fast = completion_ratio_array(x, t, points, cap=cap, higher_is_better=higher)
    assert fast.tolist() == [float(s) for s in slow.scores]
