"""Template filters for text in the reader's language: explanations, method and names.

``{{ score|explain }}`` translates the arithmetic of a score, warning or forecast (a string, an
Explanation, its stored dict, or an object carrying one); ``{{ indicator|name }}`` gives an
indicator's, data item's or category's name in the reader's language (kaohe.documents.explain_text).
"""

from __future__ import annotations

from typing import Any

from django import template

from kaohe.documents import explain_text

register = template.Library()


@register.filter
def explain(value: Any) -> str:
    """The arithmetic of ``value`` in the reader's language."""
    return explain_text.explain(value)


@register.filter
def method_name(value: Any) -> str:
    """The name of the scoring method a code, an explanation or a score names."""
    return explain_text.method_name(value)


@register.filter
def component_name(code: str) -> str:
    """A round component's name (own, quarterly, higher, rating)."""
    return explain_text.component_name(code)


@register.filter
def name(obj: Any) -> str:
    """An indicator's, data item's or category's name in the reader's language."""
    return explain_text.localized_name(obj)


@register.filter
def other_name(obj: Any) -> str:
    """The name in the other language, where it differs ("" otherwise)."""
    return explain_text.other_name(obj)
