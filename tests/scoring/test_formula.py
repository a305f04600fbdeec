"""Formulas over data items: parsed safely, evaluated per unit, errors named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.formula import FormulaError, evaluate, parse


def test_it_reads_the_data_items_a_formula_names() -> None:
    assert parse("(GDP - GDP_LAST) / GDP_LAST * 100").names == {"GDP", "GDP_LAST"}


def test_it_computes_a_growth_rate_for_every_unit_at_once() -> None:
    out = evaluate("(GDP - GDP_LAST) / GDP_LAST * 100", {"GDP": [104, 110], "GDP_LAST": [100, 100]})
    np.testing.assert_allclose(out, [4.0, 10.0])


def test_a_division_by_zero_or_a_missing_value_gives_no_value_not_an_error() -> None:
    out = evaluate("A / B", {"A": [1.0, np.nan, 3.0], "B": [0.0, 2.0, 3.0]})
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 1.0


def test_functions_min_max_abs_and_sum_work_elementwise() -> None:
    out = evaluate(
        "max(A, B) + min(A, 0) + abs(C) + sum(A, B, 1)", {"A": [1, -2], "B": [3, 4], "C": [-5, 5]}
    )
    np.testing.assert_allclose(out, [3 + 0 + 5 + 5, 4 - 2 + 5 + 3])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("__import__('os').system('x')", "bad_function"),
        ("A.real", "bad_syntax"),
        ("A ** 2", "bad_operator"),
        ("A if B else C", "bad_syntax"),
        ("'text'", "bad_constant"),
        ("True + A", "bad_constant"),
        ("A +", "bad_syntax"),
        ("", "empty"),
        ("lambda: 1", "bad_syntax"),
        ("[A, B]", "bad_syntax"),
        ("A[0]", "bad_syntax"),
        ("min()", "bad_arguments"),
        ("abs(A, B)", "bad_arguments"),
        ("A " + "+ A " * 300, "too_long"),
        ("A < B", "bad_syntax"),
    ],
)
def test_it_refuses_anything_but_arithmetic_on_data_items(text: str, code: str) -> None:
    with pytest.raises(FormulaError) as err:
        parse(text)
    assert err.value.code == code


def test_a_formula_naming_a_missing_item_is_an_error_of_the_scheme() -> None:
    with pytest.raises(FormulaError) as err:
        evaluate("A + MISSING", {"A": [1.0]})
    assert err.value.code == "unknown_item" and "MISSING" in str(err.value)


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
)
def test_vectorised_evaluation_equals_evaluating_each_unit_alone(
    a: list[float], b: list[float]
) -> None:
    n = min(len(a), len(b))
    x, y = np.array(a[:n]), np.array(b[:n])
    whole = evaluate("(A - B) * 2 + max(A, B)", {"A": x, "B": y})
    for i in range(n):
        alone = evaluate("(A - B) * 2 + max(A, B)", {"A": x[i : i + 1], "B": y[i : i + 1]})
        np.testing.assert_array_equal(whole[i : i + 1], alone)
