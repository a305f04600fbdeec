"""Forms of the loop's pages; choices are limited to the user's county."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.org.access import county_id_of
from kaohe.org.models import Cadre, Unit, User
from kaohe.schemes.models import Indicator
from kaohe.supervision.models import (
    Frequency,
    InspectionKind,
    Problem,
    ProblemSource,
    ProblemStatus,
    Weekday,
)

DATE = forms.DateInput(attrs={"type": "date"})


class IssueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    required_actions = forms.CharField(
        label=_("Required actions"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class RectificationForm(forms.Form):
    plan = forms.CharField(
        label=_("Rectification plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    actions = forms.CharField(
        label=_("Actions taken"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class _CountyForm(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county_id = county_id_of(user)
        units = Unit.objects.filter(county_id=county_id).order_by("code")
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                model = field.queryset.model
                if model is Unit:
                    qs = units
                    if name == "office":
                        qs = units.filter(is_supervision=True)
                    elif name == "unit":
                        qs = units.filter(is_assessed=True)
                    field.queryset = qs
                elif model is Indicator:
                    field.queryset = Indicator.objects.filter(
                        county_id=county_id,
                        scheme__status="published",
                        children__isnull=True,
                    ).order_by("position")
                elif model is Cadre:
                    field.queryset = Cadre.objects.filter(county_id=county_id).order_by(
                        "-is_county_leader", "code"
                    )
                elif model is Problem:
                    field.queryset = Problem.objects.filter(county_id=county_id)


class InspectionForm(_CountyForm):
    office = forms.ModelChoiceField(Unit.objects.none(), label=_("Supervision office"))
    kind = forms.ChoiceField(choices=InspectionKind.choices, label=_("Kind"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit inspected"))
    indicators = forms.ModelMultipleChoiceField(
        Indicator.objects.none(), label=_("Indicators"), required=False
    )
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ProblemForm(_CountyForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Problem details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.ChoiceField(choices=ProblemSource.choices, label=_("Source"))
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit concerned"))
    leader = forms.ModelChoiceField(
        Cadre.objects.none(), label=_("Leader in charge"), required=False
    )
    department = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Responsible department"), required=False
    )


class ProblemUpdateForm(_CountyForm):
    status = forms.ChoiceField(choices=ProblemStatus.choices, label=_("Status"))
    leader = forms.ModelChoiceField(
        Cadre.objects.none(), label=_("Leader in charge"), required=False
    )
    department = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Responsible department"), required=False
    )
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class VisitForm(_CountyForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit visited"))
    visitors = forms.CharField(label=_("Visited by"), max_length=200)
    leader = forms.ModelChoiceField(Cadre.objects.none(), label=_("Leading cadre"), required=False)
    indicators = forms.ModelMultipleChoiceField(
        Indicator.objects.none(), label=_("Indicators"), required=False
    )
    problems = forms.ModelMultipleChoiceField(
        Problem.objects.none(), label=_("Problems"), required=False
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ScheduleForm(forms.Form):
    """One cadence job's row on the cadence page (prefixed with the job's code)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    at = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday (weekly)"), choices=Weekday.choices, coerce=int
    )
    day = forms.IntegerField(
        label=_("Day of the month (monthly, quarterly, half-yearly)"),
        min_value=1,
        max_value=31,
        help_text=_("A day past the end of a shorter month runs on its last day."),
    )
    enabled = forms.BooleanField(label=_("Runs on schedule"), required=False)


class EscalationForm(forms.Form):
    """Whether the nightly job issues escalated notices at once or leaves them as drafts."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    escalation = forms.ChoiceField(
        label=_("Escalated notices"),
        choices=[
            ("issue", _("Issue them at once")),
            ("draft", _("Leave them as drafts for the office to issue")),
        ],
        widget=forms.RadioSelect,
    )
