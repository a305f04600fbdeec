"""Formulas over data items: an indicator's value computed from figures reported once.

An indicator may read one data item (``GDP``) or combine several (``(GDP - GDP_LAST) / GDP_LAST
* 100``), so a figure entered once feeds every indicator that uses it (issue 3, "Data items,
reported once"). Formulas are parsed with Python's ``ast`` into a small whitelist of nodes and
evaluated by walking that tree: never ``eval``. Allowed: numbers, data item codes (letters, digits
and underscores, starting with a letter), ``+ - * /``, unary minus, parentheses, and the
functions ``min``, ``max``, ``abs``, ``sum``. Evaluation is vectorised over numpy arrays (one
value per unit); a division by zero or a missing input gives NaN ("no value"), never an error.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

MAX_LENGTH = 500
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FUNCTIONS = {"min", "max", "abs", "sum"}
_BINARY: dict[type[ast.operator], np.ufunc] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}

FloatArray = npt.NDArray[np.float64]


class FormulaError(ValueError):
    """A formula that cannot be accepted; ``code`` names the problem for translated messages."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Formula:
    """A parsed, validated formula and the data item codes it reads."""

    text: str
    names: frozenset[str]
    tree: ast.expr


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError("bad_constant", f"only numbers may appear, not {node.value!r}")
    elif isinstance(node, ast.Name):
        if not _NAME.match(node.id) or node.id in _FUNCTIONS:
            raise FormulaError("bad_name", f"{node.id!r} is not a data item code")
        names.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise FormulaError("bad_operator", "only + - * / are allowed")
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise FormulaError("bad_operator", "only + - * / are allowed")
        _check(node.operand, names)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise FormulaError("bad_function", "only min, max, abs and sum may be called")
        if node.keywords or not node.args or (node.func.id == "abs" and len(node.args) != 1):
            raise FormulaError("bad_arguments", f"wrong arguments to {node.func.id}")
        for arg in node.args:
            _check(arg, names)
    else:
        raise FormulaError("bad_syntax", f"{type(node).__name__} is not allowed in a formula")


@lru_cache(maxsize=4096)
def parse(text: str) -> Formula:
    """Parse and validate a formula; raise FormulaError with a clear message otherwise."""
    if not text or not text.strip():
        raise FormulaError("empty", "the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError("too_long", f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError("bad_syntax", f"the formula cannot be read: {exc.msg}") from None
    names: set[str] = set()
    _check(tree, names)
    return Formula(text.strip(), frozenset(names), tree)


def evaluate(formula: Formula | str, values: Mapping[str, npt.ArrayLike]) -> FloatArray:
    """The formula's value for every unit; NaN where an input is missing or a division fails.

    ``values`` maps each data item code to one value per unit (NaN: not reported). A code the
    formula names but ``values`` lacks raises FormulaError (the scheme, not the data, is wrong).
    """
    parsed = parse(formula) if isinstance(formula, str) else formula
    missing = sorted(parsed.names - set(values))
    if missing:
        raise FormulaError("unknown_item", f"unknown data item(s): {', '.join(missing)}")
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = np.asarray(_eval(parsed.tree, arrays), dtype=np.float64)
    return np.where(np.isfinite(result), result, np.nan)


def _eval(node: ast.expr, values: Mapping[str, FloatArray]) -> FloatArray:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse() admitted numbers only
        return np.asarray(float(node.value), dtype=np.float64)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        op = _BINARY[type(node.op)]
        return np.asarray(op(_eval(node.left, values), _eval(node.right, values)))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return np.negative(operand) if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_eval(a, values) for a in node.args]
    name = node.func.id
    if name == "abs":
        return np.abs(args[0])
    stacked = np.stack(np.broadcast_arrays(*args))
    if name == "min":
        return np.asarray(np.min(stacked, axis=0), dtype=np.float64)
    if name == "max":
        return np.asarray(np.max(stacked, axis=0), dtype=np.float64)
    return np.asarray(np.sum(stacked, axis=0), dtype=np.float64)
