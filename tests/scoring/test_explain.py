"""Explanations are immutable, JSON-ready, and the scoring core stays free of Django."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from kaohe.scoring.explain import Explanation, format_number


def make(inputs: dict[str, float | None]) -> Explanation:
    return Explanation(
        method="completion_ratio",
        inputs=inputs,
        parameters={"points": 10.0, "cap": 1.0, "direction": "higher"},
        arithmetic="10 × min(85 / 100, 1.0) = 10 × 0.85 = 8.50",
        result=Decimal("8.50"),
    )


def test_it_cannot_be_changed_after_the_fact() -> None:
    inputs: dict[str, float | None] = {"value": 85.0, "target": 100.0}
    explanation = make(inputs)
    inputs["value"] = 1.0  # the caller's dict is theirs
    assert explanation.inputs["value"] == 85.0
    with pytest.raises(TypeError):
        explanation.inputs["value"] = 2.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        explanation.result = Decimal(0)  # type: ignore[misc]


def test_it_compares_and_hashes_by_content() -> None:
    a, b = make({"value": 85.0, "target": 100.0}), make({"value": 85.0, "target": 100.0})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1


def test_it_turns_into_json_with_the_result_as_a_string() -> None:
    data = make({"value": None, "target": 100.0}).as_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == {
        "method": "completion_ratio",
        "inputs": {"value": None, "target": 100.0},
        "parameters": {"points": 10.0, "cap": 1.0, "direction": "higher"},
        "arithmetic": "10 × min(85 / 100, 1.0) = 10 × 0.85 = 8.50",
        "result": "8.50",
    }


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (85.0, {}, "85"),
        (0.85, {}, "0.85"),
        (1.0, {"min_decimals": 1}, "1.0"),
        (1.2, {"min_decimals": 1}, "1.2"),
        (100 / 85, {}, "1.176471"),
        (1e20, {}, "100000000000000000000"),
        (-0.0000001, {}, "0"),
        (float("inf"), {}, "∞"),
    ],
)
def test_it_writes_numbers_for_people(value: float, kwargs: dict[str, int], expected: str) -> None:
    assert format_number(value, **kwargs) == expected


def test_it_keeps_the_scoring_core_free_of_django() -> None:
    code = "import sys, kaohe.scoring; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
