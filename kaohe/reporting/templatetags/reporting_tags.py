"""Template helpers for reporting: data-quality flags in the user's language."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kaohe.reporting.items import formula_order

register = template.Library()


@register.filter
def flag_text(flag: dict[str, Any]) -> str:
    """A stored flag (kaohe.scoring.quality.Flag.as_dict) as a sentence."""
    params = {
        "reference": number_format(flag.get("reference") or 0, decimal_pos=2),
        "score": "∞"
        if flag.get("infinite")
        or (isinstance(flag.get("score"), float) and math.isinf(flag["score"]))
        else number_format(flag.get("score") or 0, decimal_pos=1),
    }
    messages = {
        "category_outlier": _(
            "Far from the other units of its category (their median %(reference)s; robust "
            "z-score %(score)s)."
        ),
        "history_outlier": _(
            "A jump against this unit's own earlier values (median %(reference)s; robust "
            "z-score %(score)s)."
        ),
        "cumulative_fell": _("Lower than the year-to-date value already approved (%(reference)s)."),
        "out_of_bounds": _("Beyond the plausible bound of %(reference)s."),
    }
    return messages.get(str(flag.get("code")), _("Check this value.")) % params


@register.filter
def report_items(report: Any) -> list[tuple[str, str, Any]]:
    """A report's data item values as (code, value, DataItem or None), in formula order.

    Pages listing many reports attach the scheme's items as ``report.data_item_index``
    ({code: DataItem}) so this costs no query per row; otherwise one query is made.
    """
    values: dict[str, str] = report.items or {}
    if not values:
        return []
    index = getattr(report, "data_item_index", None)
    if index is None:
        from kaohe.schemes.models import DataItem

        index = {
            d.code: d
            for d in DataItem.objects.filter(scheme_id=report.indicator.scheme_id, code__in=values)
        }
    order = formula_order(report.indicator.formula)
    codes = sorted(values, key=lambda c: (order.index(c) if c in order else len(order), c))
    return [(code, values[code], index.get(code)) for code in codes]
