"""The scheme designer: the tree with points per category, a method editor with a live preview
and validation as you type, and a what-if panel that shows which ranks a change would move.

Views parse, check access, call selectors and kaohe.scoring, and render; nothing here writes.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kaohe.org.access import Permission, county_id_of, permission_required
from kaohe.org.models import Category, User
from kaohe.results.forms import MethodForm
from kaohe.results.whatif import Override, category_standings
from kaohe.schemes.access import indicator_get, scheme_current
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme
from kaohe.schemes.selectors import category_totals, indicator_tree
from kaohe.scoring.registry import parameters_text
from kaohe.scoring.state import score_sample


def _category(user: User, scheme: Scheme, code: str | None) -> Category:
    categories = Category.objects.filter(county_id=county_id_of(user)).order_by("code")
    category = categories.filter(code=code).first() if code else categories.first()
    if category is None:
        raise Http404
    return category


def _leaf(user: User, scheme: Scheme, pk: int) -> Indicator:
    indicator = indicator_get(user, pk)
    if indicator.scheme_id != scheme.pk or indicator.children.exists():
        raise Http404
    return indicator


@permission_required(Permission.SCHEME_MANAGE)
def designer(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_current(user)
    category = _category(user, scheme, request.GET.get("category"))
    categories, rows = indicator_tree(scheme=scheme)
    column = next(n for n, c in enumerate(categories) if c.pk == category.pk)
    tree = [(row.indicator, row.points[column]) for row in rows]
    return render(
        request,
        "results/designer.html",
        {
            "scheme": scheme,
            "category": category,
            "categories": categories,
            "tree": tree,
            "totals": category_totals(scheme=scheme),
        },
    )


def _form_for(indicator: Indicator, category: Category, data: object = None) -> MethodForm:
    method = indicator.method or {}
    points = IndicatorPoints.objects.filter(indicator=indicator, category=category).first()
    initial = {
        "kind": method.get("kind", "completion_ratio"),
        "parameters": parameters_text(method),
        "points": float(points.points) if points else 0.0,
        "sample_value": 85,
        "sample_target": 100,
    }
    return MethodForm(data, initial=initial)  # type: ignore[arg-type]


@permission_required(Permission.SCHEME_MANAGE)
def designer_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_current(user)
    indicator = _leaf(user, scheme, pk)
    category = _category(user, scheme, request.GET.get("category"))
    form = _form_for(indicator, category)
    return render(
        request,
        "results/designer_panel.html",
        {"indicator": indicator, "category": category, "form": form, "scheme": scheme},
    )


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def designer_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Validate the method as it is typed and score the sample with it."""
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_current(user)
    indicator = _leaf(user, scheme, pk)
    form = MethodForm(request.POST)
    explanation = None
    if form.is_valid() and form.cleaned_data.get("sample_value") is not None:
        d = form.cleaned_data
        target = d.get("sample_target")
        if target is not None and target >= 0:
            try:
                sample = score_sample(
                    form.method(),
                    d["sample_value"],
                    target,
                    d["points"],
                    higher_is_better=indicator.higher_is_better,
                    places=scheme.score_places,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                explanation = sample.explanation
    return render(
        request,
        "results/designer_preview.html",
        {"form": form, "explanation": explanation, "indicator": indicator},
    )


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def designer_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Rank the category's units with the indicator as it stands and as edited."""
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_current(user)
    indicator = _leaf(user, scheme, pk)
    category = _category(user, scheme, request.POST.get("category"))
    form = MethodForm(request.POST)
    rows = None
    if form.is_valid():
        override = Override(indicator.pk, form.cleaned_data["points"], form.method())
        rows = category_standings(scheme=scheme, category=category, override=override)
    return render(
        request,
        "results/designer_whatif.html",
        {"form": form, "rows": rows, "category": category, "indicator": indicator},
    )
