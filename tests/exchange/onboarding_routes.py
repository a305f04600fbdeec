"""Rows of the route table in tests/test_access_routes.py (same format) for this area's pages.

The counties pages belong to the platform administrators (accounts with no county), which are
not a county Role: every county account is refused (403) and an anonymous visitor is sent to
log in. Who of the platform may open which page is tested in tests/exchange/test_onboarding.py
(test_platform_administrators_see_the_counties_and_no_business_data and the separation test).
"""

from __future__ import annotations

from typing import Any

NOBODY_OF_A_COUNTY: frozenset[str] = frozenset()
NONE: Any = lambda w: []  # noqa: E731
COUNTY: Any = lambda w: [w.county.pk]  # noqa: E731

ROUTES: dict[str, Any] = {
    "onboarding:counties": (NONE, "get", NOBODY_OF_A_COUNTY, 200),
    "onboarding:county_new": (NONE, "get", NOBODY_OF_A_COUNTY, 200),
    "onboarding:template": (NONE, "get", NOBODY_OF_A_COUNTY, 200),
    "onboarding:county": (COUNTY, "get", NOBODY_OF_A_COUNTY, 200),
    "onboarding:import_check": (COUNTY, "post", NOBODY_OF_A_COUNTY, 302),
    "onboarding:roles_check": (COUNTY, "post", NOBODY_OF_A_COUNTY, 302),
    "onboarding:passwords": (COUNTY, "post", NOBODY_OF_A_COUNTY, 200),
}
OWNED_BY: dict[str, str] = {}
