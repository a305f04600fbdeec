"""The scheme designer: the tree with points per category, a method editor with a live preview
and validation as you type, a what-if panel that shows which ranks a change would move, and
saving the change: on a draft directly, on a published scheme as a numbered amendment with its
reason, after the ranks it moves are shown (kaohe.schemes.services).

Views parse, check access, call selectors, kaohe.scoring and the scheme services, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.documents.parameter_text import method_problem
from kaohe.org.access import Permission, county_id_of, permission_required
from kaohe.org.models import Category, User
from kaohe.results.forms import MethodForm, SaveForm, method_initial
from kaohe.results.proposal import Proposal, balance_choices, leaf_proposal
from kaohe.results.whatif import Override, category_standings
from kaohe.schemes.access import indicator_get, scheme_current, scheme_get
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme, SchemeStatus
from kaohe.schemes.selectors import category_totals, indicator_tree
from kaohe.schemes.services import scheme_amend, scheme_edit
from kaohe.scoring.state import score_sample


def _category(user: User, scheme: Scheme, code: str | None) -> Category:
    categories = Category.objects.filter(county_id=county_id_of(user)).order_by("code")
    category = categories.filter(code=code).first() if code else categories.first()
    if category is None:
        raise Http404
    return category


def _scheme(request: HttpRequest) -> Scheme:
    """The scheme the designer works on: the one chosen (a draft, or any scheme of the county),
    else the year's scheme in force."""
    user: User = request.user  # type: ignore[assignment]
    raw = request.POST.get("scheme") or request.GET.get("scheme") or ""
    if raw.isdigit():
        return scheme_get(user, int(raw))
    try:
        return scheme_current(user)
    except Http404:
        # No scheme in force yet (a new county's first scheme is a draft, or is published for
        # next year): the office designs the newest one it has.
        newest = Scheme.objects.filter(county_id=county_id_of(user)).order_by("-year").first()
        if newest is None:
            raise
        return newest


def _leaf(user: User, scheme: Scheme, pk: int) -> Indicator:
    indicator = indicator_get(user, pk)
    if indicator.scheme_id != scheme.pk or indicator.children.exists():
        raise Http404
    return indicator


@permission_required(Permission.SCHEME_MANAGE)
def designer(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = _scheme(request)
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
            "schemes": Scheme.objects.filter(county_id=scheme.county_id).order_by("-year"),
        },
    )


def _form_for(indicator: Indicator, category: Category, data: object = None) -> MethodForm:
    method = indicator.method or {}
    points = IndicatorPoints.objects.filter(indicator=indicator, category=category).first()
    initial = {
        **method_initial(method),
        "points": float(points.points) if points else 0.0,
        "sample_value": 85,
        "sample_target": 100,
    }
    return MethodForm(data, initial=initial)


@permission_required(Permission.SCHEME_MANAGE)
def designer_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = _scheme(request)
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
    scheme = _scheme(request)
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
                form.add_error(None, method_problem(str(exc), d["kind"]))
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
    scheme = _scheme(request)
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


def _proposal(request: HttpRequest, pk: int) -> tuple[Scheme, Indicator, Category, MethodForm]:
    user: User = request.user  # type: ignore[assignment]
    scheme = _scheme(request)
    indicator = _leaf(user, scheme, pk)
    category = _category(user, scheme, request.POST.get("category"))
    return scheme, indicator, category, MethodForm(request.POST)


def _balance(scheme: Scheme, form: SaveForm) -> Indicator | None:
    pk = form.cleaned_data.get("balance") if form.is_valid() else None
    return Indicator.objects.filter(scheme=scheme, pk=pk).first() if pk else None


def _review_context(
    scheme: Scheme, indicator: Indicator, category: Category, form: MethodForm, save: SaveForm
) -> dict[str, object]:
    context: dict[str, object] = {
        "scheme": scheme,
        "indicator": indicator,
        "category": category,
        "form": form,
        "save": save,
        "amending": scheme.status == SchemeStatus.PUBLISHED,
        "closed": scheme.status == SchemeStatus.CLOSED,
    }
    if not form.is_valid():
        return context
    proposal: Proposal = leaf_proposal(
        indicator=indicator,
        category=category,
        method=form.method(),
        points=form.cleaned_data["points"],
        balance=_balance(scheme, save),
    )
    context["proposal"] = proposal
    context["choices"] = balance_choices(indicator=indicator, category=category)
    context["next_number"] = (
        scheme.amendments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    try:
        rows = category_standings(scheme=scheme, category=category, overrides=proposal.overrides)
    except ValueError as exc:
        form.add_error(None, str(exc))
        return context
    context["moved"] = [r for r in rows if r.moved]
    context["units"] = len(rows)
    return context


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def designer_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Before saving: what the change is, the units whose rank it moves, and (on a published
    scheme) the amendment's reason to give; nothing is written."""
    scheme, indicator, category, form = _proposal(request, pk)
    save = SaveForm(request.POST)
    return render(
        request,
        "results/designer_review.html",
        _review_context(scheme, indicator, category, form, save),
    )


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def designer_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the change: a draft's directly, a published scheme's as a numbered amendment."""
    user: User = request.user  # type: ignore[assignment]
    scheme, indicator, category, form = _proposal(request, pk)
    save = SaveForm(request.POST)
    context = _review_context(scheme, indicator, category, form, save)
    proposal = context.get("proposal")
    if not save.is_valid() or not isinstance(proposal, Proposal) or form.errors:
        if not save.is_valid():
            save.add_error(None, _("Reload the page: the form is incomplete."))
        return render(request, "results/designer_review.html", context)
    version = save.cleaned_data["version"]
    try:
        if scheme.status == SchemeStatus.DRAFT:
            scheme_edit(user=user, scheme=scheme, changes=proposal.changes, version=version)
            done = _("The change to %(code)s is saved in the draft.") % {"code": indicator.code}
        else:
            amendment = scheme_amend(
                user=user,
                scheme=scheme,
                reason=save.cleaned_data.get("reason") or "",
                changes=proposal.changes,
                version=version,
            )
            done = _("The change to %(code)s is saved as amendment No. %(n)d.") % {
                "code": indicator.code,
                "n": amendment.number,
            }
    except ValidationError as exc:
        for message in exc.messages:
            save.add_error(None, message)
        return render(request, "results/designer_review.html", context)
    messages.success(request, done)
    response = HttpResponse("")
    url = reverse("results:designer") + f"?scheme={scheme.pk}&category={category.code}"
    response["HX-Redirect"] = url
    return response
