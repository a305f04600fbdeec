"""The round rules page (考核规则): the rules of each kind of round as a form, checked field by
field, previewed on the current data, saved as a numbered version, with their history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kaohe.appraisal import services as round_services
from kaohe.appraisal.inputs import rules_for
from kaohe.appraisal.models import RatingGroup, RoundKind
from kaohe.appraisal.rules import (
    ROUNDING_LABELS,
    TIES_LABELS,
    RulesForm,
    form_from_rules,
    read_form,
    rules_errors,
)
from kaohe.appraisal.rules_services import (
    RulesPreview,
    preview_number,
    rules_history,
    rules_preview,
    rules_save,
)
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User
from kaohe.schemes.access import scheme_current, scheme_get
from kaohe.schemes.models import Scheme
from kaohe.scoring.rounding import MAX_PLACES


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _scheme(request: HttpRequest) -> Scheme:
    """The scheme whose rules are edited: the current one, or one of the county's by ?scheme."""
    raw = request.GET.get("scheme", "")
    if raw.isdigit():
        return scheme_get(_user(request), int(raw), Permission.ROUND_MANAGE)
    return scheme_current(_user(request))


def _groups_of(scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {
            "code": g.code,
            "name": g.name,
            "weight": float(g.weight),
            "drop_extremes": g.drop_extremes,
        }
        for g in RatingGroup.objects.filter(scheme=scheme)
    ]


def _fields(form: RulesForm, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The form's rows, each with the problems that belong next to its fields."""
    return {
        "components": [
            {"code": c, "label": label, "value": value, "errors": errors.get(f"component-{c}")}
            for c, label, value in form.component_rows()
        ],
        "grades": [
            row
            | {
                "k": k,
                "name_errors": errors.get(f"grade_name-{k}"),
                "minimum_errors": errors.get(f"grade_minimum-{k}"),
                "quota_errors": errors.get(f"quota-{k}"),
            }
            for k, row in enumerate(form.grades)
        ],
        "vetoes": [
            {"code": code, "label": label, "value": value, "errors": errors.get(f"veto-{code}")}
            for code, label, value in form.veto_rows()
        ],
        "groups": [
            row
            | {
                "k": k,
                "code_errors": errors.get(f"group_code-{k}"),
                "name_errors": errors.get(f"group_name-{k}"),
                "weight_errors": errors.get(f"group_weight-{k}"),
            }
            for k, row in enumerate(form.groups)
        ],
    }


def _render(
    request: HttpRequest,
    *,
    scheme: Scheme,
    kind: str,
    form: RulesForm,
    errors: dict[str, list[str]],
    number: int,
    reason: str = "",
    preview: RulesPreview | None = None,
    scheme_version: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    query = f"?scheme={scheme.pk}&kind="
    return render(
        request,
        "appraisal/rules.html",
        {
            "scheme": scheme,
            "scheme_version": scheme_version or scheme.version,
            "kind": kind,
            "kind_label": RoundKind(kind).label,
            "kinds": [(value, label, query + value) for value, label in RoundKind.choices],
            "form": form,
            "fields": _fields(form, errors),
            "errors": {k.replace("-", "_"): v for k, v in errors.items()},
            "has_errors": bool(errors),
            "grade_names": form.grade_names(),
            "roundings": list(ROUNDING_LABELS.items()),
            "ties": list(TIES_LABELS.items()),
            "places_choices": [str(p) for p in range(MAX_PLACES + 1)],
            "quarters": [1, 2, 3, 4],
            "number": number,
            "reason": reason,
            "preview": preview,
            "history": rules_history(user=user, scheme=scheme),
            "action": reverse("appraisal:rules") + query + kind,
        },
        status=status,
    )


def _merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    """Problems by field; a field that could not be read keeps only that problem."""
    merged: dict[str, list[str]] = {}
    for source in sources:
        for key, texts in source.items():
            if key not in merged:
                merged[key] = list(texts)
    return merged


@permission_required(Permission.ROUND_MANAGE)
def rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scheme = _scheme(request)
    kind = request.GET.get("kind", RoundKind.ANNUAL)
    if kind not in RoundKind.values:
        kind = RoundKind.ANNUAL
    today = round_services.appraisal_today()
    if request.method != "POST":
        form = form_from_rules(rules_for(scheme, kind), _groups_of(scheme))
        return _render(
            request,
            scheme=scheme,
            kind=kind,
            form=form,
            errors={},
            number=preview_number(scheme, kind, today),
        )
    form, edited, unreadable = read_form(request.POST)
    errors = _merge(unreadable, rules_errors(edited))
    raw_number = request.POST.get("number", "")
    number = int(raw_number) if raw_number in {"1", "2", "3", "4"} else 1
    reason = request.POST.get("reason", "")
    context: dict[str, Any] = {
        "scheme": scheme,
        "kind": kind,
        "form": form,
        "number": number,
        "reason": reason,
        # The version the page was first opened on, kept through previews: a save then
        # refuses to overwrite a change someone else made in between.
        "scheme_version": request.POST.get("scheme_version", ""),
    }
    if errors:
        return _render(request, errors=errors, **context)
    if request.POST.get("action") == "save":
        try:
            saved = rules_save(
                user=user,
                scheme=scheme,
                kind=kind,
                rules=edited,
                reason=reason,
                version=int(context["scheme_version"])
                if context["scheme_version"].isdigit()
                else None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                return _render(request, errors=exc.message_dict, **context)
            for text in exc.messages:
                messages.error(request, text)
            return _render(request, errors={}, **context)
        messages.success(
            request,
            _("Version %(number)d of the round rules is saved; it applies from the next round.")
            % {"number": saved.number},
        )
        return redirect(reverse("appraisal:rules") + f"?scheme={scheme.pk}&kind={kind}")
    try:
        preview = rules_preview(
            user=user, scheme=scheme, kind=kind, number=number, rules=edited, today=today
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return _render(request, errors={}, **context)
    return _render(request, errors={}, preview=preview, **context)
