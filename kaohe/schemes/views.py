"""The indicator system of the year in force, and the office's page of every scheme of the county
with the lifecycle's transitions (publish, close, copy to next year)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.org.access import Permission, county_id_of, permission_required
from kaohe.org.models import User
from kaohe.schemes.access import scheme_current, scheme_get
from kaohe.schemes.models import SchemeStatus
from kaohe.schemes.selectors import (
    category_totals,
    change_lines,
    coverage_list,
    indicator_tree,
    scheme_in_force,
    scheme_list,
)
from kaohe.schemes.services import TRANSITIONS, scheme_close, scheme_copy, scheme_publish


@permission_required(Permission.SCHEME_VIEW)
def current(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_current(user)
    categories, rows = indicator_tree(scheme=scheme)
    return render(
        request,
        "schemes/tree.html",
        {
            "scheme": scheme,
            "categories": categories,
            "rows": rows,
            "totals": category_totals(scheme=scheme),
            "uncovered": coverage_list(scheme=scheme),
            "source_count": scheme.source_indicators.count(),
        },
    )


@permission_required(Permission.SCHEME_MANAGE)
def schemes(request: HttpRequest) -> HttpResponse:
    """Every scheme of the county by year, its status, amendments and the allowed actions."""
    user: User = request.user  # type: ignore[assignment]
    rows = scheme_list(user=user)
    years = {r.scheme.year for r in rows}
    this_year = timezone.localdate().year
    in_force = scheme_in_force(county_id=county_id_of(user), today=timezone.localdate())
    return render(
        request,
        "schemes/list.html",
        {
            "rows": [
                {
                    "row": r,
                    "can_publish": (r.scheme.status, SchemeStatus.PUBLISHED) in TRANSITIONS,
                    "in_force": in_force is not None and r.scheme.pk == in_force.pk,
                    "future": r.scheme.year > this_year,
                    "can_close": (r.scheme.status, SchemeStatus.CLOSED) in TRANSITIONS,
                    "next_year": r.scheme.year + 1 if r.scheme.year + 1 not in years else None,
                    "amendments": [
                        (a, change_lines(a.changes, [t.category for t in r.totals]))
                        for a in r.amendments
                    ],
                }
                for r in rows
            ],
        },
    )


def _done(request: HttpRequest, call: Callable[[], object], success: str) -> HttpResponse:
    """Run the transition; its refusal (with every reason) or its success is told on the list."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("schemes:list")


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_get(user, pk)
    # Publishing decides the scheme every page works with from its year on: asked, not assumed.
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the scheme is to be published."))
        return redirect("schemes:list")
    if scheme.year > timezone.localdate().year:
        done = _(
            "%(name)s is published. It becomes the scheme in force on 1 January %(year)s; "
            "until then the pages keep working with the scheme of this year."
        ) % {"name": scheme.name, "year": scheme.year}
    else:
        done = _("%(name)s is published.") % {"name": scheme.name}
    return _done(
        request,
        lambda: scheme_publish(user=user, scheme=scheme, version=_version(request)),
        done,
    )


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_get(user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the scheme's year is over."))
        return redirect("schemes:list")
    return _done(
        request,
        lambda: scheme_close(user=user, scheme=scheme, version=_version(request)),
        _("%(name)s is closed.") % {"name": scheme.name},
    )


@require_POST
@permission_required(Permission.SCHEME_MANAGE)
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_get(user, pk)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else scheme.year + 1
    return _done(
        request,
        lambda: scheme_copy(user=user, scheme=scheme, year=year),
        _("A draft for %(year)s is copied from %(name)s.") % {"year": year, "name": scheme.name},
    )
