"""Two counties hosted on one server see nothing of each other.

County A is the small World of tests/factories.py, county B a county of another shape from
tests/shapes.py, both built once for the module. Both ways round (A's accounts against B, then
B's against A):

- every route of the table (tests/test_access_routes.py) given the other county's object ids
  answers 404 to a role that may open the page, 403 to one that may not: never a page, never a
  write;
- every page of the table opened with the county's own objects, as each role that may open it,
  names none of the other county's units, accounts (or, but on the peer ranking of the
  prefecture's counties, the county itself).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from kaohe.org.models import Role, Unit, User
from tests.factories import World, build_world
from tests.shapes import Shape, build_shape, walked
from tests.test_access_routes import OWNED_BY, PUBLIC, ROUTES

SECOND = Shape(8, 2, 12, 3, code="900808", short="岚山")
# Pages that must name other counties: the county among its prefecture's counties.
NAMES_OTHER_COUNTIES = {"dashboard:peers"}


def _takes_ids(name: str) -> bool:
    """Whether the route's URL carries object ids: its argument builder reads the world (one
    that reads nothing, ``lambda w: []``, builds a URL with none)."""
    return bool(ROUTES[name][0].__code__.co_names)


WITH_IDS = sorted(name for name in ROUTES if _takes_ids(name))
GET_ROUTES = sorted(name for name, (_a, method, _r, _s) in ROUTES.items() if method == "get")


@pytest.fixture(scope="module")
def counties(django_db_setup: None, django_db_blocker: Any) -> Any:
    """Both counties, built once in a transaction rolled back when the module ends."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(code="900001"), build_shape(SECOND)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(params=["A-against-B", "B-against-A"])
def pair(request: Any, counties: tuple[World, World], db: None) -> tuple[World, World]:
    """(own county, other county), each with the route table's extra objects."""
    first, second = (walked(w) for w in counties)
    return (first, second) if request.param == "A-against-B" else (second, first)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _call(client: Client, method: str, url: str) -> int:
    return (client.post(url) if method == "post" else client.get(url)).status_code


def _allowed(name: str, role: str) -> bool:
    allowed = ROUTES[name][2]
    return allowed == PUBLIC or role in allowed


def _names_of(world: World) -> list[str]:
    """What would give the county away: its units' names and its accounts' user names."""
    units = Unit.objects.filter(county=world.county).values_list("name", flat=True)
    users = User.objects.filter(county=world.county).values_list("username", flat=True)
    return [*units, *users]


def test_the_route_table_has_routes_with_object_ids() -> None:
    assert {"reporting:detail", "dashboard:cell", "supervision:notice"} <= set(WITH_IDS)
    assert not {"dashboard:battlemap", "org:accounts"} & set(WITH_IDS)


@pytest.mark.parametrize("name", WITH_IDS)
def test_the_other_countys_objects_are_not_found(pair: tuple[World, World], name: str) -> None:
    own, other = pair
    args_of, method, _allowed_roles, _ok = ROUTES[name]
    url = reverse(name, args=args_of(other))
    for role in Role.values:
        status = _call(_client(own.user(role)), method, url)
        if _allowed(name, role) or name in OWNED_BY:
            assert status == 404, f"{name} as {role} of {own.county.name}: {status}"
        else:
            assert status == 403, f"{name} as {role} of {own.county.name}: {status}"


@pytest.mark.parametrize("name", GET_ROUTES)
def test_no_page_names_the_other_countys_units(pair: tuple[World, World], name: str) -> None:
    own, other = pair
    url = reverse(name, args=ROUTES[name][0](own))
    names = _names_of(other)
    if name not in NAMES_OTHER_COUNTIES:
        names.append(other.county.name)
    for role in Role.values:
        if not _allowed(name, role) or OWNED_BY.get(name, role) != role:
            continue
        response = _client(own.user(role)).get(url, follow=True)
        assert response.status_code == 200, f"{name} as {role}: {response.status_code}"
        if not response["Content-Type"].startswith("text/"):
            continue  # PDF and Excel files: their tables are the pages' own (bulletins.py)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        html = body.decode()
        leaked = [n for n in names if n in html]
        assert not leaked, f"{name} as {role} of {own.county.name} shows {leaked[:5]}"
