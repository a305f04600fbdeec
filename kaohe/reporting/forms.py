from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=32)
    note = forms.CharField(
        label=_("Progress note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    note = forms.CharField(
        label=_("Review note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
