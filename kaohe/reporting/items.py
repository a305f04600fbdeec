"""Reports per data item: an indicator with a formula is reported through its data items.

A scheme defines data items (数据项, e.g. ``GDP`` and ``GDP_LAST``) and an indicator may take its
value from a formula over them (``(GDP - GDP_LAST) / GDP_LAST * 100``). Such an indicator is not
reported as one figure: the unit enters each data item, and the indicator's value is computed
from the formula when the report is submitted (kaohe.scoring.formula, the same parser the scheme
check and ``kaohe score`` use). The item values are kept on the report (``ProgressReport.items``)
and go into its audit events. Indicators without a formula are reported as one value, as before.

Errors are keyed by the form field of the item (``item_<CODE>``), so the form shows each beside
its input: a missing item, a value that is not a number, and a division by zero, which names the
items whose values make the divisor zero.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kaohe.documents.explain_text import localized_name
from kaohe.reporting.models import ProgressReport
from kaohe.schemes.models import DataItem, Indicator
from kaohe.scoring.formula import Formula, FormulaError, evaluate, parse

MAX_ABS_VALUE = Decimal("1e11")
_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def field_name(code: str) -> str:
    """The form field (and error key) of a data item."""
    return f"item_{code}"


def parse_number(raw: Any, field: str, label: str | None = None) -> Decimal:
    """A reported figure as a Decimal of four places, or a ValidationError keyed by ``field``."""

    def named(message: str) -> str:
        if not label:
            return message
        return _("%(item)s: %(message)s") % {"item": label, "message": message}

    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: named(_("Enter a number."))}) from exc
    if not value.is_finite() or not math.isfinite(float(value)):
        raise ValidationError({field: named(_("Enter a number."))})
    if abs(value) >= MAX_ABS_VALUE:
        raise ValidationError({field: named(_("The number is too large."))})
    return value.quantize(Decimal("0.0001"))


def has_items(indicator: Indicator) -> bool:
    """Whether the indicator is reported through data items (it has a formula)."""
    return bool(indicator.formula.strip())


def _parsed(indicator: Indicator) -> Formula:
    try:
        return parse(indicator.formula)
    except FormulaError as exc:
        raise ValidationError(
            _("The formula of %(code)s cannot be used: %(detail)s. Tell the performance office.")
            % {"code": indicator.code, "detail": exc}
        ) from exc


def _in_order(formula: Formula) -> list[str]:
    """The data item codes of a formula in the order it names them, each once."""
    seen: list[str] = []
    for code in _IDENT.findall(formula.text):
        if code in formula.names and code not in seen:
            seen.append(code)
    return seen


def formula_order(text: str) -> list[str]:
    """The data item codes a formula names, in order; [] for no formula or a broken one."""
    try:
        return _in_order(parse(text)) if text.strip() else []
    except FormulaError:
        return []


def attach_item_index(reports: Iterable[ProgressReport]) -> None:
    """Give each report ``data_item_index`` ({code: DataItem} of its scheme), in one query."""
    reports = list(reports)
    schemes = {r.indicator.scheme_id for r in reports if r.items}
    index: dict[int, dict[str, DataItem]] = {s: {} for s in schemes}
    for d in DataItem.objects.filter(scheme_id__in=schemes):
        index[d.scheme_id][d.code] = d
    for r in reports:
        r.data_item_index = index.get(r.indicator.scheme_id, {})  # type: ignore[attr-defined]


def items_for(indicators: Iterable[Indicator]) -> dict[int, list[DataItem]]:
    """For each indicator with a formula, its data items in formula order (one query).

    A formula naming an item its scheme lacks is the scheme's fault: ValidationError.
    """
    wanted = {ind.pk: ind for ind in indicators if has_items(ind)}
    if not wanted:
        return {}
    orders = {pk: _in_order(_parsed(ind)) for pk, ind in wanted.items()}
    schemes = {ind.scheme_id for ind in wanted.values()}
    codes = {c for order in orders.values() for c in order}
    found = {
        (d.scheme_id, d.code): d
        for d in DataItem.objects.filter(scheme_id__in=schemes, code__in=codes)
    }
    out: dict[int, list[DataItem]] = {}
    for pk, ind in wanted.items():
        missing = [c for c in orders[pk] if (ind.scheme_id, c) not in found]
        if missing:
            raise ValidationError(
                _("The formula of %(code)s names data items the scheme lacks: %(items)s.")
                % {"code": ind.code, "items": ", ".join(missing)}
            )
        out[pk] = [found[(ind.scheme_id, c)] for c in orders[pk]]
    return out


def indicator_items(indicator: Indicator) -> list[DataItem]:
    """The data items an indicator's formula reads, in formula order; [] without a formula."""
    return items_for([indicator]).get(indicator.pk, [])


def _zero_divisors(tree: ast.expr, values: Mapping[str, float]) -> list[str]:
    """The data item codes of every divisor that is zero with these values."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            divisor = evaluate(ast.unparse(node.right), values)
            if float(divisor) == 0.0 or not math.isfinite(float(divisor)):
                for sub in ast.walk(node.right):
                    if isinstance(sub, ast.Name) and sub.id not in names:
                        names.append(sub.id)
    return names


def compute(
    indicator: Indicator, items: list[DataItem], raw: Mapping[str, Any]
) -> tuple[Decimal, dict[str, str]]:
    """The indicator's value from the reported items, and the items as stored on the report.

    Every item is checked before anything is computed and all problems are raised at once,
    each keyed by its field.
    """
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal] = {}
    for item in items:
        field = field_name(item.code)
        text = raw.get(item.code)
        if text is None or str(text).strip() == "":
            errors[field] = [_("Enter the value of %(item)s.") % {"item": localized_name(item)}]
            continue
        try:
            parsed[item.code] = parse_number(text, field, localized_name(item))
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    formula = _parsed(indicator)
    floats = {code: float(v) for code, v in parsed.items()}
    result = float(evaluate(formula, floats))
    if not math.isfinite(result):
        zero = _zero_divisors(formula.tree, floats)
        by_code = {i.code: localized_name(i) for i in items}
        named = "、".join(by_code.get(c, c) for c in zero) or formula.text
        message = _(
            "With these values the formula %(formula)s divides by zero: check %(items)s."
        ) % {"formula": formula.text, "items": named}
        raise ValidationError({field_name(c): [message] for c in zero} or message)
    value = Decimal(repr(result))
    if abs(value) >= MAX_ABS_VALUE:
        raise ValidationError(_("The value computed from the data items is too large: check them."))
    return value.quantize(Decimal("0.0001")), {c: str(v) for c, v in parsed.items()}


def shared_values(*, unit_id: int, period_id: int) -> dict[str, str]:
    """Data item values the unit already reported for this period on any indicator.

    A figure is entered once: when the same item feeds several indicators, the form of the
    second is pre-filled with what the unit gave for the first.
    """
    values: dict[str, str] = {}
    for items in (
        ProgressReport.objects.filter(unit_id=unit_id, period_id=period_id)
        .order_by("submitted_at", "pk")
        .values_list("items", flat=True)
    ):
        values.update(items or {})
    return values
