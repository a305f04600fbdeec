"""Results are computed vectorised; explanations (and Decimal scores) are built only when read."""

from __future__ import annotations

import pickle
from decimal import Decimal as D

import numpy as np
import pytest

from kaohe.scoring import LazySequence, completion_ratio, efficacy_coefficient, warning_levels


def test_a_lazy_sequence_builds_each_item_once_when_it_is_read() -> None:
    built: list[int] = []

    def build(i: int) -> int:
        built.append(i)
        return i * 10

    items = LazySequence(4, build)
    assert built == []
    assert items[2] == 20 and items[-1] == 30 and items[2] == 20
    assert built == [2, 3]
    assert items[1:3] == [10, 20]
    assert list(items) == [0, 10, 20, 30] and len(items) == 4
    with pytest.raises(IndexError):
        items[4]


def test_a_lazy_sequence_equals_the_tuple_of_its_items() -> None:
    items = LazySequence(2, lambda i: D(i))
    assert items == (D(0), D(1)) and (D(0), D(1)) == items and items == [D(0), D(1)]
    assert items != (D(0),) and items != "01"
    assert pickle.loads(pickle.dumps(items)) == (D(0), D(1))  # noqa: S301  # our own bytes


def test_scoring_builds_no_explanation_until_one_is_read() -> None:
    batch = completion_ratio(np.arange(1000.0), 500.0, 10.0)
    assert "0 built" in repr(batch.explanations)
    assert batch.explain(3).arithmetic == "10 × min(3 / 500, 1.0) = 10 × 0.006 = 0.06"
    assert batch.explain(3) is batch.explanations[3]
    assert "1 built" in repr(batch.explanations)
    assert batch.rounded[3] == 0.06 and batch.scores[3] == D("0.06")


def test_the_rounded_floats_are_the_decimal_scores() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.uniform(0, 2000, 5000), 2)
    batch = efficacy_coefficient(values, 7.5, satisfactory=1500, not_allowed=300, places=3)
    assert batch.rounded.tolist() == [float(s) for s in batch.scores]
    with pytest.raises(ValueError, match="read-only"):
        batch.rounded[0] = 1.0


def test_a_batch_keeps_its_inputs_although_the_caller_reuses_its_array() -> None:
    values = np.array([50.0, 80.0])
    batch = completion_ratio(values, 100.0, 10.0)
    values[:] = 0.0  # the caller's array is copied: the explanation still shows 50
    assert batch.explain(0).inputs["value"] == 50.0


def test_a_read_only_input_is_kept_by_reference_without_a_copy() -> None:
    values = np.array([50.0, 80.0])
    values.setflags(write=False)
    batch = efficacy_coefficient(values, 10.0, satisfactory=100, not_allowed=0)
    assert batch.explain(1).inputs["value"] == 80.0
    assert batch.scores == (D("8.00"), D("9.20"))


def test_warnings_explain_a_unit_only_when_asked() -> None:
    batch = warning_levels(np.full(100, 10.0), 100.0, 0.5)
    assert "0 built" in repr(batch.explanations)
    assert batch.explain(1).arithmetic.endswith("→ red")
    assert len(batch.explanations) == 100 and "1 built" in repr(batch.explanations)
