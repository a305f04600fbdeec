"""Every explanation recomputes its score: from its inputs and parameters alone, with the method's
own scalar formula written out here, one unit at a time (nothing is parsed from the arithmetic).

Each reference follows SCORING.md and the float operations the method documents (sums left to
right), and is rounded with round_half_up: the result must equal the explanation's result, the
batch's Decimal score, and its vectorised rounded float.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring import (
    Explanation,
    Group,
    ScoreBatch,
    bonus,
    checklist,
    completion_ratio,
    composite,
    composite_index,
    deduction,
    efficacy_coefficient,
    efficacy_five_standards,
    evaluator_rating,
    per_event_points,
    proportional_to_best,
    rank_bonus,
    rank_points,
    round_half_up,
    shortfall_deduction,
    stepped_completion,
)
from kaohe.scoring.rating import group_means

NAN = math.nan
money = st.integers(0, 2_000_000).map(lambda n: n / 100)
reported = st.one_of(money, money, money, st.just(NAN))
anything = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
targets = st.integers(1, 2_000_000).map(lambda n: n / 100)
points = st.sampled_from([1.0, 2.5, 7.5, 10.0, 12.0, 100.0])
places = st.integers(0, 4)


def number(e: Explanation, name: str) -> float:
    value = e.parameters[name]
    assert isinstance(value, int | float)
    return float(value)


def numbers(e: Explanation, name: str) -> tuple[float, ...]:
    value = e.parameters[name]
    assert isinstance(value, tuple)
    return tuple(float(v) for v in value)


def holds(batch: ScoreBatch, reference: Callable[[Explanation], float]) -> None:
    """Each explanation's reference score is its result, the batch score and the rounded float."""
    for i in range(len(batch)):
        e = batch.explain(i)
        expected = round_half_up(reference(e), int(number(e, "places")))
        assert e.result == expected == batch.scores[i], (e, expected)
        assert batch.rounded[i] == float(expected)
        # The arithmetic ends in the score ("→ 0" where there is nothing to compute).
        assert e.arithmetic.endswith(str(expected)) or (
            expected == 0 and e.arithmetic.endswith("→ 0")
        )


def total(e: Explanation, each: tuple[float, ...]) -> float:
    """sum(count * points), left to right, over the counts in the explanation's inputs."""
    counts = [v for v in e.inputs.values() if v is not None]
    return sum(c * p for c, p in zip(counts, each, strict=True))


# --- method 2 -------------------------------------------------------------------------------


def stepped_reference(e: Explanation) -> float:
    x, t = e.inputs["value"], e.inputs["target"]
    if x is None:
        return 0.0
    assert t is not None
    pts = number(e, "points")
    higher = e.parameters["direction"] == "higher"
    ratio = x / t if higher else (t / x if x > 0 else math.inf)
    up = max(ratio - 1, 0) / number(e, "step")
    down = max(1 - ratio, 0) / number(e, "penalty_step")
    if e.parameters["linear"] == "no":
        up = up if math.isinf(up) else math.floor(up + 1e-9)
        down = down if math.isinf(down) else math.floor(down + 1e-9)
    bonus_each, penalty_each = number(e, "bonus_per_step"), number(e, "penalty_per_step")
    raw = (
        pts
        + (up * bonus_each if bonus_each else 0.0)
        - (down * penalty_each if penalty_each else 0.0)
    )
    return min(max(raw, number(e, "floor") * pts), number(e, "ceiling") * pts)


@given(
    st.lists(st.tuples(reported, targets), min_size=1, max_size=12),
    points,
    st.sampled_from([0.01, 0.02, 0.05, 0.1]),
    st.sampled_from([0.0, 1.0, 5.0]),
    st.sampled_from([0.0, 0.5, 1.0]),
    st.booleans(),
    st.booleans(),
    places,
)
def test_stepped_completion_explanations_recompute(
    rows: list[tuple[float, float]],
    p: float,
    step: float,
    bonus_each: float,
    penalty_each: float,
    linear: bool,
    higher: bool,
    dp: int,
) -> None:
    x, t = zip(*rows, strict=True)
    batch = stepped_completion(
        x, t, p, step=step, bonus_per_step=bonus_each, penalty_step=step,
        penalty_per_step=penalty_each, linear=linear, higher_is_better=higher, places=dp,
    )  # fmt: skip
    holds(batch, stepped_reference)


# --- methods 3 and 4 ----------------------------------------------------------------------------


def efficacy_reference(e: Explanation) -> float:
    x = e.inputs["value"]
    if x is None:
        return 0.0
    base, xh, xs = number(e, "base"), number(e, "satisfactory"), number(e, "not_allowed")
    share = base + (1 - base) * (x - xs) / (xh - xs)
    low = -math.inf if e.parameters["floor"] is None else number(e, "floor")
    high = math.inf if e.parameters["cap"] is None else number(e, "cap")
    return number(e, "points") * min(max(share, low), high)


@given(
    st.lists(st.one_of(anything, st.just(NAN)), min_size=1, max_size=12),
    points,
    st.sampled_from([(12.0, 6.0), (6.0, 12.0), (100.0, -50.0)]),
    st.sampled_from([0.6, 0.5, 0.0]),
    st.sampled_from([(None, None), (0.0, 1.0), (0.3, None), (None, 1.2)]),
    places,
)
def test_efficacy_coefficient_explanations_recompute(
    x: list[float],
    p: float,
    band: tuple[float, float],
    base: float,
    bounds: tuple[float | None, float | None],
    dp: int,
) -> None:
    batch = efficacy_coefficient(
        x, p, satisfactory=band[0], not_allowed=band[1], base=base, floor=bounds[0],
        cap=bounds[1], places=dp,
    )  # fmt: skip
    holds(batch, efficacy_reference)


def five_standards_reference(e: Explanation) -> float:
    x = e.inputs["value"]
    if x is None:
        return 0.0
    s, c = numbers(e, "standards"), numbers(e, "coefficients")
    pts = number(e, "points")
    sign = 1.0 if e.parameters["direction"] == "higher" else -1.0
    merit = [sign * v for v in s]
    if sign * x >= merit[0]:
        return pts * c[0]
    if sign * x < merit[4]:
        return pts * number(e, "below_poor")
    k = next(j for j in range(5) if merit[j] <= sign * x)
    return pts * c[k] + (x - s[k]) / (s[k - 1] - s[k]) * (pts * (c[k - 1] - c[k]))


@given(
    st.lists(st.one_of(money, st.just(NAN)), min_size=1, max_size=12),
    points,
    st.sampled_from([[16.0, 12.0, 8.0, 4.0, 1.0], [1.0, 4.0, 8.0, 12.0, 16.0]]),
    st.sampled_from([0.0, 0.1]),
)
def test_five_standard_explanations_recompute(
    x: list[float], p: float, standards: list[float], below: float
) -> None:
    batch = efficacy_five_standards([v / 1000 for v in x], p, standards=standards, below_poor=below)
    holds(batch, five_standards_reference)


# --- methods 5 and 6 ----------------------------------------------------------------------------


def rank_reference(e: Explanation) -> float:
    if e.inputs["value"] is None:
        return 0.0
    rank, ranked = e.inputs["rank"], e.inputs["ranked"]
    assert rank is not None and ranked is not None
    pts, rule = number(e, "points"), e.parameters["rule"]
    if rule == "table":
        table = numbers(e, "table")
        return table[int(rank) - 1] if rank <= len(table) else number(e, "beyond_table")
    if rule == "top":
        if e.parameters["last_points"] is not None and rank == ranked and ranked > 1:
            return number(e, "last_points")
        return max(pts * (1 - number(e, "step_share") * (rank - 1)), 0.0)
    return min(number(e, "last_points") + (ranked - rank) * number(e, "step_up"), pts)


RULES = [
    {"table": [60, 57, 54, 51, 48], "beyond_table": 45},
    {"step_share": 0.05},
    {"step_share": 0.1, "last_points": 3},
    {"last_points": 6, "step_up": 0.1},
]


@given(
    st.lists(st.one_of(st.integers(0, 20).map(float), st.just(NAN)), min_size=1, max_size=15),
    st.sampled_from(RULES),
    st.booleans(),
)
def test_rank_point_explanations_recompute_and_rank_the_category(
    x: list[float], rule: dict[str, object], higher: bool
) -> None:
    batch = rank_points(x, 10.0, higher_is_better=higher, **rule)  # type: ignore[arg-type]
    holds(batch, rank_reference)
    for i, value in enumerate(x):
        if not math.isnan(value):
            better = [v for v in x if not math.isnan(v) and (v > value if higher else v < value)]
            assert batch.explain(i).inputs["rank"] == 1 + len(better)


def best_reference(e: Explanation) -> float:
    x, best = e.inputs["value"], e.inputs["best"]
    if x is None or best is None or best == 0:
        return 0.0
    ratio = x / best if e.parameters["direction"] == "higher" else best / x
    return number(e, "points") * ratio


@given(st.lists(st.one_of(targets, st.just(NAN)), min_size=1, max_size=12), points, st.booleans())
def test_proportional_to_best_explanations_recompute(
    x: list[float], p: float, higher: bool
) -> None:
    batch = proportional_to_best(x, p, higher_is_better=higher)
    holds(batch, best_reference)
    present = [v for v in x if not math.isnan(v)]
    if present:
        best = max(present) if higher else min(present)
        assert all(batch.explain(i).inputs["best"] == best for i in range(len(x)))


# --- method 7 ------------------------------------------------------------------------------------


def index_reference(e: Explanation) -> float:
    x = list(e.inputs.values())
    if any(v is None for v in x):
        return 0.0
    s, w = numbers(e, "standards"), numbers(e, "weights")
    directions = e.parameters["directions"]
    assert isinstance(directions, tuple)
    index = []
    for v, st_, d in zip(x, s, directions, strict=True):
        assert v is not None
        if d == "lower" and v <= 0:
            return 0.0
        i = v / st_ if d == "higher" else st_ / v
        index.append(i if e.parameters["index_cap"] is None else min(i, number(e, "index_cap")))
    weighted = sum(wj * ij for wj, ij in zip(w, index, strict=True))
    return number(e, "scale") * (weighted / sum(w))


@given(
    st.lists(st.tuples(st.one_of(money, st.just(NAN)), money, money), min_size=1, max_size=10),
    st.sampled_from([None, 1.2]),
)
def test_composite_index_explanations_recompute(
    rows: list[tuple[float, float, float]], cap: float | None
) -> None:
    batch = composite_index(
        rows, [100.0, 250.5, 3.0], [0.5, 0.3, 0.2], higher_is_better=[True, False, True],
        index_cap=cap,
    )  # fmt: skip
    holds(batch, index_reference)


# --- methods 8, 9, 11, 12 ----------------------------------------------------------------------

counts = st.lists(
    st.lists(st.integers(0, 6).map(float), min_size=3, max_size=3), min_size=1, max_size=10
)


@given(counts, points, st.sampled_from([0.0, 1.0]))
def test_deduction_explanations_recompute(table: list[list[float]], p: float, floor: float) -> None:
    batch = deduction(
        table, p, per_event={"general": 0.5, "serious": 2, "criticism": 0.3}, floor=floor
    )
    holds(
        batch,
        lambda e: max(number(e, "points") - total(e, numbers(e, "per_event")), number(e, "floor")),
    )


def shortfall_reference(e: Explanation) -> float:
    x, t = e.inputs["value"], e.inputs["target"]
    if x is None:
        return 0.0
    assert t is not None
    gap = t - x if e.parameters["direction"] == "higher" else x - t
    if e.parameters["relative"] == "yes":
        gap = gap / t
    units = max(gap, 0.0) / number(e, "unit")
    if e.parameters["whole_units"] == "yes":
        units = math.floor(units + 1e-9)
    return max(number(e, "points") - units * number(e, "per_unit_points"), number(e, "floor"))


@given(
    st.lists(st.tuples(reported, targets), min_size=1, max_size=10),
    st.sampled_from([(1.0, 0.01, True), (0.5, 1.0, False), (2.0, 5.0, False)]),
    st.booleans(),
    st.booleans(),
)
def test_shortfall_deduction_explanations_recompute(
    rows: list[tuple[float, float]],
    setting: tuple[float, float, bool],
    whole: bool,
    higher: bool,
) -> None:
    x, t = zip(*rows, strict=True)
    each, unit, relative = setting
    batch = shortfall_deduction(
        x, t, 10.0, per_unit_points=each, unit=unit, relative=relative, whole_units=whole,
        higher_is_better=higher,
    )  # fmt: skip
    holds(batch, shortfall_reference)


@given(counts, points)
def test_per_event_explanations_recompute(table: list[list[float]], p: float) -> None:
    batch = per_event_points(table, p, per_event=[1, 0.6, 0.4])
    holds(batch, lambda e: min(total(e, numbers(e, "per_event")), number(e, "points")))


@given(counts, st.sampled_from([0.0, 3.0, 5.0]))
def test_bonus_explanations_recompute(table: list[list[float]], cap: float) -> None:
    batch = bonus(table, per_event={"prefecture": 1, "province": 3, "national": 5}, cap=cap)
    holds(batch, lambda e: min(max(total(e, numbers(e, "per_event")), -cap), cap))


def rank_bonus_reference(e: Explanation) -> float:
    rank = e.inputs["rank"]
    if rank is None:
        return 0.0
    top, bottom, out_of = numbers(e, "top"), numbers(e, "bottom"), number(e, "out_of")
    if rank <= len(top):
        return top[int(rank) - 1]
    from_last = int(out_of - rank)
    return -bottom[len(bottom) - 1 - from_last] if from_last < len(bottom) else 0.0


@given(st.integers(1, 30), st.data())
def test_rank_bonus_explanations_recompute(out_of: int, data: st.DataObject) -> None:
    ranks = data.draw(
        st.lists(st.one_of(st.integers(1, out_of).map(float), st.just(NAN)), min_size=1)
    )
    holds(rank_bonus(ranks, out_of=out_of), rank_bonus_reference)


@given(counts, points, st.sampled_from(["met", "defects"]))
def test_checklist_explanations_recompute(table: list[list[float]], p: float, mode: str) -> None:
    batch = checklist(table, p, worth=[1, 0.5, 0.1], mode=mode)

    def reference(e: Explanation) -> float:
        found, pts = total(e, numbers(e, "worth")), number(e, "points")
        return min(found, pts) if mode == "met" else max(pts - found, number(e, "floor"))

    holds(batch, reference)


# --- method 10 and the composite -------------------------------------------------------------

votes = st.one_of(
    st.sampled_from([100.0, 80.0, 60.0, 40.0]), st.integers(0, 100).map(float), st.just(NAN)
)
ratings = st.lists(st.lists(votes, min_size=4, max_size=4), min_size=2, max_size=2)


def rating_reference(e: Explanation) -> float:
    groups = e.parameters["groups"]
    assert isinstance(groups, tuple)
    present = [
        (w, e.inputs[str(name)]) for name, w in zip(groups, numbers(e, "weights"), strict=True)
        if e.inputs[str(name)] is not None
    ]  # fmt: skip
    if not present:
        return 0.0
    combined = sum(m * w for w, m in present if m is not None) / sum(w for w, _m in present)
    if e.parameters["points"] is None:
        return combined
    return number(e, "points") * (combined / number(e, "full_marks"))


def mean_reference(row: list[float], drop: bool) -> float:
    cast = sorted(v for v in row if not math.isnan(v))
    if drop and len(cast) >= 3:
        cast = cast[1:-1]
    return sum(cast) / len(cast) if cast else NAN


@given(ratings, ratings, st.booleans(), st.sampled_from([None, 10.0]))
def test_evaluator_rating_explanations_recompute(
    leaders: list[list[float]], peers: list[list[float]], drop: bool, p: float | None
) -> None:
    groups = [Group("leaders", 0.4, leaders, drop_extremes=drop), Group("peers", 0.6, peers)]
    batch = evaluator_rating(groups, points=p)
    holds(batch, rating_reference)
    means, _kept = group_means(groups[0])
    for row, mean in zip(leaders, means, strict=True):
        expected = mean_reference(row, drop)
        assert mean == expected or (math.isnan(mean) and math.isnan(expected))


def composite_reference(e: Explanation) -> float:
    weights = numbers(e, "weights")
    parts = [v for k, v in e.inputs.items() if k not in ("bonus", "deduction")]
    b, d = e.inputs["bonus"], e.inputs["deduction"]
    assert b is not None and d is not None
    b_cap = math.inf if e.parameters["bonus_cap"] is None else number(e, "bonus_cap")
    d_cap = math.inf if e.parameters["deduction_cap"] is None else number(e, "deduction_cap")
    weighted = sum(w * c for w, c in zip(weights, parts, strict=True) if c is not None)
    return weighted + min(b, b_cap) - min(d, d_cap)


@given(
    st.lists(st.tuples(money, money, money, st.integers(-5, 8), st.integers(0, 4)), min_size=1),
    st.sampled_from([None, 3.0]),
    st.sampled_from([None, 2.0]),
)
def test_composite_explanations_recompute(
    rows: list[tuple[float, float, float, int, int]], b_cap: float | None, d_cap: float | None
) -> None:
    batch = composite(
        [r[:3] for r in rows], [0.6, 0.3, 0.1], bonus=[r[3] for r in rows],
        deduction=[r[4] for r in rows], bonus_cap=b_cap, deduction_cap=d_cap,
        names=["own", "quarterly", "higher"],
    )  # fmt: skip
    holds(batch, composite_reference)


def test_a_score_is_the_rounded_decimal_of_its_raw_value() -> None:
    batch = completion_ratio([83.45, 1.0], [100.0, 1.0], [10.0, 2.675])
    assert batch.scores == (Decimal("8.35"), Decimal("2.68"))
    assert list(batch.rounded) == [8.35, 2.68]
    assert isinstance(batch.rounded, np.ndarray)
