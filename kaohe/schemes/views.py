from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User
from kaohe.schemes.access import scheme_current
from kaohe.schemes.selectors import category_totals, coverage_list, indicator_tree


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
