from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

METHOD_CHOICES = [("completion_ratio", _("Completion ratio"))]


class MethodForm(forms.Form):
    """A leaf's scoring method and points as the designer edits them, with a sample to preview."""

    kind = forms.ChoiceField(label=_("Scoring method"), choices=METHOD_CHOICES)
    cap = forms.FloatField(label=_("Cap (share of the points)"), initial=1.0)
    floor = forms.FloatField(label=_("Floor (share of the points)"), initial=0.0)
    all_or_nothing = forms.BooleanField(label=_("Target met or nothing"), required=False)
    points = forms.FloatField(label=_("Points for this category"), min_value=0)
    sample_value = forms.FloatField(label=_("Sample value"), required=False)
    sample_target = forms.FloatField(label=_("Sample target"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cap, floor = data.get("cap"), data.get("floor")
        if cap is not None and cap <= 0:
            self.add_error("cap", _("The cap must be greater than 0."))
        if floor is not None and floor < 0:
            self.add_error("floor", _("The floor must not be negative."))
        if cap is not None and floor is not None and cap > 0 and floor > cap:
            self.add_error("floor", _("The floor must not be above the cap."))
        return data

    def method(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "cap": d["cap"],
            "floor": d["floor"],
            "all_or_nothing": d["all_or_nothing"],
        }
