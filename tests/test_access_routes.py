"""Every route, walked with every role: who may and who may not.

The table below must name every URL pattern; a route added without an entry fails
test_every_route_is_in_the_table, so no page can appear without a decision about who sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaohe.org.models import Role
from tests.appraisal import routes as appraisal_routes
from tests.exchange import history_routes, onboarding_routes, scheme_routes
from tests.factories import World
from tests.jobs import routes as jobs_routes
from tests.schemes import routes as schemes_routes
from tests.supervision import routes as supervision_routes

ALL = frozenset(Role.values)
BUSINESS = frozenset({"office", "assessor", "unit", "leader", "supervisor", "organisation"})
PUBLIC = "public"

# name -> (args builder, method, roles allowed (or PUBLIC), expected status when allowed)
Route = tuple[Callable[[World], list[Any]], str, frozenset[str] | str, int]
NO_ARGS: Callable[[World], list[Any]] = lambda w: []  # noqa: E731

ROUTES: dict[str, Route] = {
    "healthz": (NO_ARGS, "get", PUBLIC, 200),
    "set_language": (NO_ARGS, "post", PUBLIC, 302),
    "org:login": (NO_ARGS, "get", PUBLIC, 200),
    "org:logout": (NO_ARGS, "post", PUBLIC, 302),
    "dashboard:home": (NO_ARGS, "get", ALL, 302),
    "org:password": (NO_ARGS, "get", ALL, 200),
    "org:inbox": (NO_ARGS, "get", ALL, 200),
    "org:inbox_read": (lambda w: [w.note.pk], "post", ALL, 302),
    "org:accounts": (NO_ARGS, "get", frozenset({"sysadmin", "secadmin"}), 200),
    "org:account_create": (NO_ARGS, "get", frozenset({"sysadmin"}), 200),
    "org:account_toggle": (lambda w: [w.user("leader").pk], "post", frozenset({"sysadmin"}), 302),
    "org:account_role": (lambda w: [w.user("leader").pk], "get", frozenset({"secadmin"}), 200),
    "reporting:due": (NO_ARGS, "get", frozenset({"unit"}), 200),
    "reporting:grid": (NO_ARGS, "get", frozenset({"unit"}), 200),
    "reporting:lists": (lambda w: [w.target.pk], "get", BUSINESS, 200),
    "reporting:target_propose": (lambda w: [w.target.pk], "post", frozenset({"unit"}), 302),
    "reporting:target_decide": (lambda w: [w.target.pk], "post", frozenset({"office"}), 302),
    "reporting:target_schedule": (lambda w: [w.target.pk], "post", frozenset({"office"}), 302),
    "exchange:report_template": (NO_ARGS, "get", frozenset({"unit"}), 200),
    "exchange:report_upload": (NO_ARGS, "get", frozenset({"unit"}), 200),
    "exchange:assessor_template": (NO_ARGS, "get", frozenset({"assessor"}), 200),
    "exchange:assessor_upload": (NO_ARGS, "get", frozenset({"assessor"}), 200),
    "reporting:fill": (lambda w: [w.target.pk, w.months[10].pk], "get", frozenset({"unit"}), 200),
    "reporting:check": (lambda w: [w.target.pk, w.months[10].pk], "post", frozenset({"unit"}), 200),
    "reporting:queue": (NO_ARGS, "get", frozenset({"assessor"}), 200),
    "reporting:review": (lambda w: [w.report.pk], "post", frozenset({"assessor"}), 302),
    "reporting:confirm_queue": (NO_ARGS, "get", frozenset({"office"}), 200),
    "reporting:completeness": (NO_ARGS, "get", frozenset({"office"}), 200),
    "reporting:confirm": (lambda w: [w.report.pk], "post", frozenset({"office"}), 302),
    "reporting:reopen": (lambda w: [w.report.pk], "post", frozenset({"office"}), 302),
    "reporting:detail": (lambda w: [w.report.pk], "get", BUSINESS, 200),
    "reporting:evidence": (lambda w: [w.evidence.pk], "get", BUSINESS, 200),
    "dashboard:battlemap": (NO_ARGS, "get", BUSINESS, 200),
    "dashboard:peers": (NO_ARGS, "get", BUSINESS, 200),
    "dashboard:cell": (lambda w: [w.town.pk, w.leaf.pk], "get", BUSINESS, 200),
    "dashboard:screen": (NO_ARGS, "get", BUSINESS, 200),
    "dashboard:mine": (NO_ARGS, "get", BUSINESS, 302),
    "dashboard:portfolio": (
        NO_ARGS,
        "get",
        frozenset({"office", "leader", "supervisor", "organisation"}),
        200,
    ),
    "dashboard:unit": (lambda w: [w.town.pk], "get", BUSINESS, 200),
    # Bulletins: the office previews drafts and issues; every business role reads issued ones.
    "dashboard:bulletins": (NO_ARGS, "get", BUSINESS, 200),
    "dashboard:bulletin": (lambda w: [_issued_bulletin(w)], "get", BUSINESS, 200),
    "dashboard:bulletin_pdf": (lambda w: [_issued_bulletin(w)], "get", BUSINESS, 200),
    "dashboard:bulletin_xlsx": (lambda w: [_issued_bulletin(w)], "get", BUSINESS, 200),
    "dashboard:bulletin_draft": (lambda w: [w.months[0].pk], "get", frozenset({"office"}), 200),
    # A draft's file is drawn by a job: the POST starts it and goes to the job's page.
    "dashboard:bulletin_draft_pdf": (
        lambda w: [w.months[0].pk],
        "post",
        frozenset({"office"}),
        302,
    ),
    "dashboard:bulletin_draft_xlsx": (
        lambda w: [w.months[0].pk],
        "post",
        frozenset({"office"}),
        302,
    ),
    "dashboard:bulletin_issue": (lambda w: [w.months[0].pk], "post", frozenset({"office"}), 302),
    "schemes:current": (NO_ARGS, "get", BUSINESS, 200),
    "audit:log": (NO_ARGS, "get", frozenset({"auditadmin"}), 200),
    "results:designer": (NO_ARGS, "get", frozenset({"office"}), 200),
    "results:designer_indicator": (lambda w: [w.leaf.pk], "get", frozenset({"office"}), 200),
    "results:designer_preview": (lambda w: [w.leaf.pk], "post", frozenset({"office"}), 200),
    "results:designer_whatif": (lambda w: [w.leaf.pk], "post", frozenset({"office"}), 200),
    "results:designer_review": (lambda w: [w.leaf.pk], "post", frozenset({"office"}), 200),
    "results:designer_save": (lambda w: [w.leaf.pk], "post", frozenset({"office"}), 200),
}


def _issued_bulletin(w: World) -> int:
    """January's bulletin, issued by the office (for the routes of an issued bulletin)."""
    import datetime as dt

    from kaohe.dashboard.bulletins import bulletin_issue

    now = dt.datetime(w.scheme.year, 12, 2, 9, tzinfo=dt.UTC)
    return bulletin_issue(user=w.user("office"), period=w.months[0], now=now).pk


# A logged-in user who opens the login page is sent on to their home page.
LOGGED_IN_STATUS = {"org:login": 302}
# Routes on an object of one user's own: its owner gets the page, everyone else a 404.
OWNED_BY = {"org:inbox_read": "unit"}

# Apps with many routes keep their rows beside their tests, in the same format.
for _rows in (
    supervision_routes,
    appraisal_routes,
    jobs_routes,
    onboarding_routes,
    scheme_routes,
    history_routes,
    schemes_routes,
):
    ROUTES.update(_rows.ROUTES)
    OWNED_BY.update(_rows.OWNED_BY)


def _names(patterns: list[Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_route_is_in_the_table() -> None:
    assert _names(get_resolver().url_patterns) == set(ROUTES)


@pytest.fixture
def walked(world: World) -> World:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaohe.reporting.services import report_submit

    world.report = report_submit(  # type: ignore[attr-defined]
        user=world.user("unit"),
        target=world.target,
        period=world.months[9],
        value="500",
        note="",
        files=[SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    world.evidence = world.report.evidence.get()  # type: ignore[attr-defined]
    from kaohe.org.models import Notification

    world.note = Notification.objects.create(  # type: ignore[attr-defined]
        county=world.county, user=world.user("unit"), kind="test", key="k", title="t", url="/"
    )
    return world


def _call(client: Client, method: str, url: str) -> int:
    return (client.post(url) if method == "post" else client.get(url)).status_code


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_what_the_table_says(walked: World, name: str) -> None:
    args_of, method, allowed, ok_status = ROUTES[name]
    url = reverse(name, args=args_of(walked))
    for role in [*Role.values, None]:
        client = Client()
        if role is not None:
            client.force_login(walked.user(role))
        status = _call(client, method, url)
        if role is not None and name in OWNED_BY and role != OWNED_BY[name]:
            assert status == 404, f"{name} as {role} should not find another's object, got {status}"
        elif allowed == PUBLIC or (role is not None and role in allowed):
            expected = LOGGED_IN_STATUS.get(name, ok_status) if role else ok_status
            assert status == expected, f"{name} as {role}: {status}"
        elif role is None:
            assert status == 302, f"{name} anonymous should go to login, got {status}"
        else:
            assert status == 403, f"{name} as {role} should be refused, got {status}"


def test_a_unit_user_gets_404_for_another_units_objects(walked: World) -> None:
    from kaohe.reporting.services import report_submit

    other_user = walked.user("unit")
    foreign = report_submit(
        user=_other_unit_user(walked),
        target=walked.other_target,
        period=walked.months[9],
        value="1",
        note="",
    )
    client = Client()
    client.force_login(other_user)
    assert client.get(reverse("reporting:detail", args=[foreign.pk])).status_code == 404
    fill = reverse("reporting:fill", args=[walked.other_target.pk, walked.months[10].pk])
    assert client.get(fill).status_code == 404
    cell = reverse("dashboard:cell", args=[walked.other_town.pk, walked.leaf.pk])
    assert client.get(cell).status_code == 404


def test_an_assessor_gets_404_for_reports_on_indicators_it_does_not_check(walked: World) -> None:
    from kaohe.org.models import Unit
    from tests.factories import UserFactory

    stranger_unit = Unit.objects.create(
        county=walked.county, code="D99", name="县林业局", kind="department", is_assessing=True
    )
    stranger = UserFactory(county=walked.county, role="assessor", unit=stranger_unit)
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("reporting:detail", args=[walked.report.pk])).status_code == 404  # type: ignore[attr-defined]


def test_a_user_of_another_county_sees_nothing_of_this_one(walked: World) -> None:
    from tests.factories import build_world

    elsewhere = build_world(code="900002")
    client = Client()
    client.force_login(elsewhere.user("office"))
    assert client.get(reverse("reporting:detail", args=[walked.report.pk])).status_code == 404  # type: ignore[attr-defined]
    cell = reverse("dashboard:cell", args=[walked.town.pk, walked.leaf.pk])
    assert client.get(cell).status_code == 404


def _other_unit_user(world: World) -> Any:
    from tests.factories import UserFactory

    return UserFactory(county=world.county, role="unit", unit=world.other_town)


def test_an_assessor_sees_only_the_colours_of_the_indicators_it_checks(walked: World) -> None:
    from kaohe.org.models import Unit
    from kaohe.schemes.models import Indicator
    from tests.factories import UserFactory

    forestry = Unit.objects.create(
        county=walked.county, code="D98", name="县林业局", kind="department", is_assessing=True
    )
    stranger = UserFactory(county=walked.county, role="assessor", unit=forestry)
    own = Indicator.objects.create(
        county=walked.county,
        scheme=walked.scheme,
        parent=walked.root,
        code="A02",
        name="森林覆盖率",
        level=2,
        position=3,
        assessor=forestry,
    )
    client = Client()
    client.force_login(stranger)
    assert (
        client.get(reverse("dashboard:cell", args=[walked.town.pk, walked.leaf.pk])).status_code
        == 404
    )
    assert client.get(reverse("dashboard:cell", args=[walked.town.pk, own.pk])).status_code == 200
