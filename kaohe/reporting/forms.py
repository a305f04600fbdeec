from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.documents.explain_text import localized_name
from kaohe.reporting.items import field_name
from kaohe.schemes.models import DataItem


class ReportForm(forms.Form):
    """One value, or, for an indicator with a formula, one input per data item.

    The item inputs are not required here: the service names a missing item in its own words
    ("Enter the value of ..."), checks the numbers and computes the value.
    """

    value = forms.CharField(label=_("Value"), max_length=32)
    note = forms.CharField(
        label=_("Progress note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, data_items: Sequence[DataItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_items = list(data_items)
        if self.data_items:
            del self.fields["value"]
        for item in self.data_items:
            self.fields[field_name(item.code)] = forms.CharField(
                label=localized_name(item),
                max_length=32,
                required=False,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "item-value"}
                ),
            )

    def item_rows(self) -> list[tuple[DataItem, forms.BoundField]]:
        return [(item, self[field_name(item.code)]) for item in self.data_items]

    def item_values(self) -> dict[str, str]:
        return {
            item.code: self.cleaned_data.get(field_name(item.code), "") for item in self.data_items
        }


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
