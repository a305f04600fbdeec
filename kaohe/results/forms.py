"""The designer's forms: a leaf's scoring method with one labelled field per parameter of each
method (kaohe.documents.parameter_text.PARAMETER_LABELS), its points and a sample to preview."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.documents.explain_text import METHOD_NAMES
from kaohe.documents.parameter_text import (
    CHOICE_LABELS,
    is_percent,
    method_problem,
    parameter_label,
)
from kaohe.scoring.params import Param
from kaohe.scoring.registry import METHODS, validate_method

#: How each kind of parameter reads beside its label.
TYPE_HINTS = {
    "percent": pgettext_lazy("parameter type", "per cent"),
    "number": pgettext_lazy("parameter type", "number"),
    "integer": pgettext_lazy("parameter type", "whole number"),
    "bool": pgettext_lazy("parameter type", "yes/no"),
    "choice": pgettext_lazy("parameter type", "choice"),
    "numbers": pgettext_lazy("parameter type", "list of numbers, separated by commas"),
    "per_event": pgettext_lazy("parameter type", "number"),
}


def field_name(kind: str, name: str) -> str:
    """The form field of a method's parameter: the method's code first, so that one method's
    value never reaches another's (a changed method never keeps the old method's parameters)."""
    return f"{kind}__{name}"


class NumbersField(forms.CharField):
    """A list of numbers typed as ``60, 57, 54`` (Chinese commas and 、 too)."""

    def to_python(self, value: Any) -> list[float] | None:  # type: ignore[override]
        text = str(super().to_python(value) or "")
        for sep in ("，", "、", ";", "；"):
            text = text.replace(sep, ",")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts:
            return None
        try:
            return [float(Decimal(p)) for p in parts]
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Write numbers separated by commas.")) from exc


def _hint(kind: str, name: str, param: Param) -> str:
    return str(TYPE_HINTS["percent" if is_percent(kind, name) else param.kind])


def _field(kind: str, name: str, param: Param) -> forms.Field:
    label = parameter_label(kind, name)
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": _hint(kind, name, param),
    }
    if param.kind == "bool":
        return forms.BooleanField(**common)
    if param.kind == "choice":
        choices = [("", "—"), *((c, CHOICE_LABELS.get(c, c)) for c in param.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if param.kind == "numbers":
        return NumbersField(max_length=500, **common)
    return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}), **common)


def _to_form(kind: str, name: str, value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(f"{Decimal(str(v)).normalize():f}" for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value)) * (100 if is_percent(kind, name) else 1)
        # 100, not 100.0: the field shows the value as the office would type it.
        return int(number) if number == number.to_integral() else float(number)
    return value


def _from_form(kind: str, name: str, value: Any) -> Any:
    if is_percent(kind, name) and isinstance(value, float):
        return float(Decimal(str(value)) / 100)
    return value


def method_initial(method: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values for a stored method: its kind and its parameters' fields."""
    kind = str(method.get("kind", "completion_ratio"))
    spec = METHODS.get(kind)
    initial: dict[str, Any] = {"kind": kind}
    for name, value in method.items():
        if spec is not None and name in spec.params:
            initial[field_name(kind, name)] = _to_form(kind, name, value)
    return initial


class MethodForm(forms.Form):
    """A leaf's scoring method and points as the designer edits them, with a sample to preview.

    Every method's parameters are fields of their own (``<method>__<parameter>``); only those of
    the chosen method are read, so a parameter of the method chosen before never carries over."""

    kind = forms.ChoiceField(
        label=_("Scoring method"), choices=[(k, _(METHOD_NAMES[k])) for k in METHODS]
    )
    points = forms.FloatField(label=_("Points for this category"), min_value=0)
    sample_value = forms.FloatField(label=_("Sample value"), required=False)
    sample_target = forms.FloatField(label=_("Sample target"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, spec in METHODS.items():
            for name, param in spec.params.items():
                self.fields[field_name(kind, name)] = _field(kind, name, param)

    def chosen_kind(self) -> str:
        """The method shown: as posted, else as stored."""
        raw = self.data.get("kind") if self.is_bound else None
        kind = str(raw or self.initial.get("kind") or "completion_ratio")
        return kind if kind in METHODS else "completion_ratio"

    def fieldsets(self) -> list[tuple[str, str, bool, list[forms.BoundField]]]:
        """Per method: its code, name, whether it is the one chosen, and its parameters' fields."""
        chosen = self.chosen_kind()
        return [
            (
                kind,
                str(_(METHOD_NAMES[kind])),
                kind == chosen,
                [self[field_name(kind, name)] for name in spec.params],
            )
            for kind, spec in METHODS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        spec = METHODS[kind]
        method: dict[str, Any] = {"kind": kind}
        for name in spec.params:
            value = data.get(field_name(kind, name))
            if value is None or value == "" or value is False:
                continue  # unset: the method's default (every yes/no parameter defaults to no)
            method[name] = _from_form(kind, name, value)
        if any(field_name(kind, n) in self.errors for n in spec.params):
            return data
        for problem in validate_method(method):
            text = method_problem(problem, kind)
            named = next(
                (n for n in spec.params if problem.startswith((n + " ", f"each of {n} "))), None
            )
            self.add_error(field_name(kind, named) if named else None, text)
        data["method"] = method
        return data

    def method(self) -> dict[str, Any]:
        return dict(self.cleaned_data["method"])


class SaveForm(forms.Form):
    """Saving the designer's change: the scheme's version the page was opened on (a stale page
    is refused), the amendment's reason, and the leaf that balances a points change."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    balance = forms.IntegerField(label=_("Balance the points against"), required=False)
