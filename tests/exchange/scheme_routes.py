"""Rows of the route table in tests/test_access_routes.py (same format) for this area's pages."""

from __future__ import annotations

from typing import Any

OFFICE = frozenset({"office"})

ROUTES: dict[str, Any] = {
    "schemefiles:upload": (lambda w: [], "get", OFFICE, 200),
    "schemefiles:export": (lambda w: [w.scheme.pk, "json"], "get", OFFICE, 200),
}
OWNED_BY: dict[str, str] = {}
