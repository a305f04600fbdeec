from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.documents.explain_text import METHOD_NAMES
from kaohe.scoring.registry import METHODS, parse_parameters, validate_method


class MethodForm(forms.Form):
    """A leaf's scoring method and points as the designer edits them, with a sample to preview."""

    kind = forms.ChoiceField(
        label=_("Scoring method"), choices=[(k, _(METHOD_NAMES[k])) for k in METHODS]
    )
    parameters = forms.CharField(
        label=_("Parameters"),
        required=False,
        max_length=500,
        help_text=_("name=value; separated by semicolons, e.g. cap=1.2; floor=0"),
    )
    points = forms.FloatField(label=_("Points for this category"), min_value=0)
    sample_value = forms.FloatField(label=_("Sample value"), required=False)
    sample_target = forms.FloatField(label=_("Sample target"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        params, malformed = parse_parameters(data.get("parameters") or "")
        if malformed:
            self.add_error("parameters", _("Write each parameter as name=value."))
            return data
        method: dict[str, Any] = {"kind": data.get("kind"), **params}
        if data.get("kind"):
            for problem in validate_method(method):
                self.add_error("parameters", problem)
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
