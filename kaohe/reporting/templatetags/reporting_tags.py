"""Template helpers for reporting: data-quality flags in the user's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def flag_text(flag: dict[str, Any]) -> str:
    """A stored flag (kaohe.scoring.quality.Flag.as_dict) as a sentence."""
    params = {
        "reference": number_format(flag.get("reference") or 0, decimal_pos=2),
        "score": number_format(flag.get("score") or 0, decimal_pos=1),
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
