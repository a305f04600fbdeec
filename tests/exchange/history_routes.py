"""Rows of the route table in tests/test_access_routes.py (same format) for this area's pages."""

from __future__ import annotations

from typing import Any

OFFICE = frozenset({"office"})
NONE: Any = lambda w: []  # noqa: E731

# The history import page and its template: the office runs the scheme (scheme.manage).
ROUTES: dict[str, Any] = {
    "history:index": (NONE, "get", OFFICE, 200),
    "history:template": (NONE, "get", OFFICE, 200),
}
OWNED_BY: dict[str, str] = {}
