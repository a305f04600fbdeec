"""Numbers as clerks type them into spreadsheet cells.

Pure Python (no Django), in the lowest layer so every app that reads a workbook (the exchange
files, the appraisal's ballot tallies) reads a number the same way.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_GROUPED = re.compile(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_number(raw: object) -> Decimal | None:
    """A cell's number: None when empty; ValueError when it is not a number.

    Accepted as typed: full-width digits, signs and points (１２３．５), thousands separators
    (1,234.5 or 1 234), surrounding spaces and a trailing per cent sign. The per cent sign is
    the unit the value is measured in, not a division: a clerk types 12.5% for an indicator in
    per cent and means 12.5 (a cell Excel formats as a percentage holds its number, 0.125).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    else:
        # NFKC folds full-width digits, signs, points, commas, spaces and ％ to their ASCII forms.
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace("\u2212", "-")
        if text == "":
            return None
        text = text.removesuffix("%").rstrip()
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "").replace(" ", "")
        elif not _PLAIN.fullmatch(text):
            raise ValueError(raw)
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(raw) from exc
    if not number.is_finite():
        raise ValueError(raw)
    return number
