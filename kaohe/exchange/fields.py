"""Reading typed fields out of a parsed file, recording a Problem for each bad one."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from kaohe.exchange.problems import Problem

MAX_TEXT = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Reader:
    """Collects problems while fields are read, so one pass reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(where, code, params))

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(where, "missing", field=key)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(where, "wrong_type", field=key, expected="text")
            return ""
        text = str(value).strip() if isinstance(value, str) else _number_text(value)
        if len(text) > MAX_TEXT:
            self.add(where, "too_long", field=key, limit=MAX_TEXT)
            return text[:MAX_TEXT]
        if _CONTROL.search(text):
            self.add(where, "control_chars", field=key)
        return text

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        default: float = 0.0,
    ) -> float:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(where, "missing", field=key)
            return default
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                self.add(where, "wrong_type", field=key, expected="a number")
                return default
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(where, "wrong_type", field=key, expected="a number")
            return default
        return float(value)

    def boolean(
        self, data: Mapping[str, Any], key: str, where: str, *, default: bool = False
    ) -> bool:
        value = data.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {
            "true",
            "false",
            "是",
            "否",
            "yes",
            "no",
        }:
            return value.strip().lower() in {"true", "是", "yes"}
        self.add(where, "wrong_type", field=key, expected="true or false")
        return default

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, choices: tuple[str, ...], default: str
    ) -> str:
        value = self.text(data, key, where) or default
        if value not in choices:
            self.add(where, "bad_choice", field=key, choices=", ".join(choices))
            return default
        return value


def _number_text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
