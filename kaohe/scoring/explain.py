"""Explanations: every score and warning carries the inputs, method, parameters and arithmetic.

SCORING.md (opening paragraph): "the engine must explain every score it gives (inputs, method,
parameters, arithmetic)". An explanation is immutable and JSON-ready through ``as_dict``; the
arithmetic is language-neutral (numbers, symbols and method codes), so the interface translates
the method code and shows the arithmetic as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType
from typing import Any, TypeAlias

#: A parameter's value in an explanation: a number, a code, nothing, or a list (a rank table,
#: standard values, weights), kept as a tuple so the explanation stays immutable and hashable.
ParamValue: TypeAlias = float | str | tuple[float | str, ...] | None


@dataclass(frozen=True)
class Explanation:
    """How one result was reached: method code, inputs, parameters, arithmetic and the result.

    ``inputs`` and ``parameters`` are copied into read-only mappings, so an explanation cannot be
    changed after the fact (it is stored beside the score it explains). A missing input is None,
    never NaN, so that equality works and ``as_dict`` is valid JSON (tuples become lists).
    """

    method: str
    inputs: Mapping[str, float | None]
    parameters: Mapping[str, ParamValue]
    arithmetic: str
    result: Decimal

    def __post_init__(self) -> None:
        # Copy, then freeze: the caller's dicts stay theirs and ours cannot be mutated.
        object.__setattr__(self, "inputs", MappingProxyType(dict(self.inputs)))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __hash__(self) -> int:
        # mappingproxy is unhashable; hash the frozen contents instead.
        return hash(
            (
                self.method,
                tuple(self.inputs.items()),
                tuple(self.parameters.items()),
                self.arithmetic,
                self.result,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable dict; the result is a string so its places survive."""
        return {
            "method": self.method,
            "inputs": dict(self.inputs),
            "parameters": {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.parameters.items()
            },
            "arithmetic": self.arithmetic,
            "result": str(self.result),
        }


_CONTEXT = Context(prec=64)


def format_number(value: float, max_decimals: int = 6, min_decimals: int = 0) -> str:
    """A number for an arithmetic line: positional, at most ``max_decimals`` decimals, half-up.

    Trailing zeros are dropped down to ``min_decimals`` (so 85.0 reads "85" and a cap can read
    "1.0"). Never scientific notation: assessors read these lines, not programmers.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    exact = Decimal(repr(float(value)))
    # Enough digits for every integer digit plus the decimals, however large the number; the
    # shared context covers every everyday number without building a new one per call.
    needed = exact.adjusted() + max_decimals + 2
    context = _CONTEXT if needed <= _CONTEXT.prec else Context(prec=needed)
    text = format(exact.quantize(Decimal(1).scaleb(-max_decimals), ROUND_HALF_UP, context), "f")
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    elif min_decimals > 0:
        text = f"{text}.{'0' * min_decimals}"
    # Rounding a tiny negative number gives "-0": it reads as zero.
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text
