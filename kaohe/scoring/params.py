"""Parameter schemas: the type and range of each setting a scheme gives a scoring method.

A scheme file names a method and its parameters as plain JSON values; each Param says what one
parameter must be, and ``problem`` returns a clear English sentence naming the parameter when a
value does not fit (None when it does). kaohe.scoring.registry holds the schema of every method.
``parameters_text`` and ``parse_parameters`` write and read parameters as people type them in
the scheme designer and in spreadsheets (``cap=1.2; standards=16,12,8,4,1``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

#: The kinds of parameter a schema can name (see Param).
KINDS = (
    "number",  # a finite number, within minimum/maximum (and above ``above``)
    "integer",  # a whole number (2 or 2.0), within minimum/maximum
    "bool",  # true or false
    "choice",  # one of ``choices``
    "numbers",  # a non-empty list of numbers, each within the range; ``length`` if set
    "per_event",  # a number, a list, a table (list of lists) or {name: number}, each in range
    "bools",  # a non-empty list of true/false
    "codes",  # a non-empty list of distinct text codes
    "code_map",  # {name: code}: each value one of the codes of ``codes_from`` when given
    "thresholds",  # {grade: minimum or null}, best first, the last null
    "quotas",  # {grade: count, or {"count": n} / {"share": s, "rounding": r}}
)


def _is_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(float(value))
    )


@dataclass(frozen=True)
class Param:
    """What one parameter must be: its ``kind`` (KINDS), whether it is required, its range
    (``minimum`` and ``maximum`` inclusive, ``above`` exclusive) and, for a choice, the
    choices; ``length`` fixes the length of a list; ``doc`` says what it means."""

    kind: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    choices: tuple[str, ...] = ()
    length: int | None = None
    doc: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}")

    def _range(self, name: str, value: Any) -> str | None:
        if not _is_number(value):
            return f"{name} must be a number, got {value!r}"
        if self.minimum is not None and value < self.minimum:
            return f"{name} must be at least {self.minimum:g}, got {value!r}"
        if self.maximum is not None and value > self.maximum:
            return f"{name} must be at most {self.maximum:g}, got {value!r}"
        if self.above is not None and not value > self.above:
            return f"{name} must be greater than {self.above:g}, got {value!r}"
        return None

    def problem(self, name: str, value: Any) -> str | None:
        """A sentence naming ``name`` if ``value`` does not fit this parameter, else None."""
        kind = self.kind
        if kind == "bool":
            return None if isinstance(value, bool) else f"{name} must be true or false"
        if kind == "choice":
            if value in self.choices:
                return None
            return f"{name} must be one of {', '.join(self.choices)}, got {value!r}"
        if kind == "number":
            return self._range(name, value)
        if kind == "integer":
            if _is_number(value) and float(value).is_integer():
                return self._range(name, value)
            return f"{name} must be a whole number, got {value!r}"
        if kind in ("numbers", "bools", "codes"):
            return self._list(name, value)
        if kind == "per_event":
            return self._per_event(name, value)
        if kind == "code_map":
            ok = (
                isinstance(value, Mapping)
                and value
                and all(isinstance(v, str) for v in value.values())
            )
            return None if ok else f"{name} must map each name to a grade code"
        if kind == "thresholds":
            return _thresholds(name, value)
        return _quotas(name, value)

    def _list(self, name: str, value: Any) -> str | None:
        if not isinstance(value, Sequence) or isinstance(value, str) or not value:
            return f"{name} must be a non-empty list"
        if self.length is not None and len(value) != self.length:
            return f"{name} must have {self.length} numbers, got {len(value)}"
        if self.kind == "bools":
            ok = all(isinstance(v, bool) for v in value)
            return None if ok else f"{name} must be a list of true/false"
        if self.kind == "codes":
            ok = all(isinstance(v, str) and v for v in value) and len(set(value)) == len(value)
            return None if ok else f"{name} must be a list of distinct codes"
        for v in value:
            if problem := self._range(f"each of {name}", v):
                return problem
        return None

    def _per_event(self, name: str, value: Any) -> str | None:
        if isinstance(value, Mapping):
            items = list(value.values())
        elif isinstance(value, Sequence) and not isinstance(value, str):
            rows = [v if isinstance(v, Sequence) and not isinstance(v, str) else [v] for v in value]
            if len({len(r) for r in rows}) > 1:
                return f"{name} must be a table with rows of equal length"
            items = [v for r in rows for v in r]
        else:
            items = [value]
        if not items:
            return f"{name} must name at least one kind of event"
        for v in items:
            if problem := self._range(f"each of {name}", v):
                return problem
        return None


def _thresholds(name: str, value: Any) -> str | None:
    if not isinstance(value, Mapping) or len(value) < 1:
        return f"{name} must map each grade, best first, to its minimum score (null for the last)"
    minimums = list(value.values())
    if minimums[-1] is not None or not all(_is_number(m) for m in minimums[:-1]):
        return f"{name}: every grade but the last needs a minimum score, the last null"
    if any(a <= b for a, b in pairwise(minimums[:-1])):
        return f"{name}: minimum scores must fall from the best grade down"
    return None


def _quotas(name: str, value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return f"{name} must map grades to a count or a share"
    for grade, quota in value.items():
        if isinstance(quota, Mapping):
            count, share = quota.get("count"), quota.get("share")
            if (count is None) == (share is None):
                return f"{name}: the quota of {grade} needs either a count or a share"
            if share is not None and not (_is_number(share) and 0 <= share <= 1):
                return f"{name}: the share of {grade} must lie between 0 and 1"
            if quota.get("rounding", "down") not in ("down", "up", "half_up"):
                return f"{name}: the rounding of {grade} must be down, up or half_up"
            if set(quota) - {"count", "share", "rounding"}:
                return f"{name}: the quota of {grade} takes count, share and rounding only"
        else:
            count = quota
        if count is not None and not (
            _is_number(count) and float(count).is_integer() and count >= 0
        ):
            return f"{name}: the count of {grade} must be a whole number, not negative"
    return None


def parameters_text(method: Mapping[str, Any]) -> str:
    """A method's parameters as people type them: ``cap=1.2; standards=16,12,8,4,1``."""
    parts = []
    for name, value in method.items():
        if name == "kind":
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list | tuple):
            text = ",".join(_plain(v) for v in value)
        else:
            text = _plain(value)
        parts.append(f"{name}={text}")
    return "; ".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_value(text: str) -> Any:
    text = text.strip()
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    if "," in text:
        return [float(v) for v in text.split(",") if v.strip()]
    try:
        return float(text)
    except ValueError:
        return text


def parse_parameters(text: str) -> tuple[dict[str, Any], bool]:
    """Parameters typed as ``name=value; ...`` (lists with commas, true/false), and whether the
    text was malformed (a part without ``=``, or a list with a non-number)."""
    params: dict[str, Any] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            return params, True
        try:
            params[name.strip()] = _parse_value(value)
        except ValueError:
            return params, True
    return params, False
