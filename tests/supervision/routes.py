"""The supervision app's rows of the route table in tests/test_access_routes.py (same format)."""

from __future__ import annotations

from typing import Any

ROUTES: dict[str, Any] = {}
# Routes on an object of one role's own: its owner gets the page, everyone else a 404.
OWNED_BY: dict[str, str] = {}
