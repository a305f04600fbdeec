"""Rows of the route table in tests/test_access_routes.py (same format) for this area's pages."""

from __future__ import annotations

from typing import Any

OFFICE = frozenset({"office"})
NONE: Any = lambda w: []  # noqa: E731
SCHEME: Any = lambda w: [w.scheme.pk]  # noqa: E731

ROUTES: dict[str, Any] = {
    "schemes:list": (NONE, "get", OFFICE, 200),
    # A post without its fields (or a transition the table refuses) is told why, on the list.
    "schemes:publish": (SCHEME, "post", OFFICE, 302),
    "schemes:close": (SCHEME, "post", OFFICE, 302),
    "schemes:copy": (SCHEME, "post", OFFICE, 302),
}
OWNED_BY: dict[str, str] = {}
