from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.scoring.registry import METHODS, validate_method

METHOD_LABELS = {
    "completion_ratio": _("Completion ratio"),
    "stepped_completion": _("Stepped completion"),
    "efficacy_coefficient": _("Efficacy coefficient"),
    "efficacy_five_standards": _("Efficacy coefficient, five standard values"),
    "rank_points": _("Rank points"),
    "proportional_to_best": _("Proportional to the best"),
    "deduction": _("Deduction per event"),
    "per_event_points": _("Points per event"),
}


def parameters_text(method: dict[str, Any]) -> str:
    """A method's parameters as the designer shows them: ``cap=1.2; standards=16,12,8,4,1``."""
    parts = []
    for name, value in method.items():
        if name == "kind":
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        parts.append(f"{name}={text}")
    return "; ".join(parts)


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


class MethodForm(forms.Form):
    """A leaf's scoring method and points as the designer edits them, with a sample to preview."""

    kind = forms.ChoiceField(
        label=_("Scoring method"), choices=[(k, METHOD_LABELS.get(k, k)) for k in METHODS]
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
        method: dict[str, Any] = {"kind": data.get("kind")}
        for part in (data.get("parameters") or "").split(";"):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                self.add_error("parameters", _("Write each parameter as name=value."))
                return data
            try:
                method[name.strip()] = _parse_value(value)
            except ValueError:
                self.add_error(
                    "parameters", _("%(name)s is not a number.") % {"name": name.strip()}
                )
                return data
        if data.get("kind"):
            for problem in validate_method(method):
                self.add_error("parameters", problem)
        data["method"] = method
        return data

    def method(self) -> dict[str, Any]:
        return dict(self.cleaned_data["method"])
