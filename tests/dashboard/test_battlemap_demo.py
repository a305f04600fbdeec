"""The dashboard on the demo county (44 units, 140 leaves): bounded queries and exports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.org.models import Cadre, User
from tests.conftest import shared_demo
from tests.dashboard.tables import page_tables, workbook_sheets
from tests.factories import build_world

TODAY = dt.date(2026, 11, 24)


built = shared_demo(TODAY)


@pytest.fixture
def demo(built: object, db: None) -> object:
    return built


def _queries(user: User, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # the first request after login saves the session: not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_every_page_needs_as_many_queries_for_44_units_as_for_two(demo: None) -> None:
    small = build_world(code="900009")
    # Same kind of accounts on both sides: an office user bound to a unit, a leader with a cadre.
    small.user("office").unit = small.assessor_unit
    small.user("office").save()
    small.user("leader").cadre = small.leader
    small.user("leader").save()
    worlds = [
        {r: small.user(r) for r in ("office", "leader", "unit")},
        {r: User.objects.get(username=r) for r in ("office", "leader", "unit")},
    ]
    big_leader = Cadre.objects.get(code="L04", county__code="433125")
    pages = [
        ("office", lambda w: reverse("dashboard:battlemap")),
        ("office", lambda w: reverse("dashboard:battlemap") + "?format=xlsx"),
        ("office", lambda w: reverse("dashboard:screen")),
        ("leader", lambda w: reverse("dashboard:portfolio")),
        ("unit", lambda w: reverse("dashboard:unit", args=[w["unit"].unit_id])),
    ]
    for role, url_of in pages:
        counts = [_queries(w[role], url_of(w)) for w in worlds]
        assert counts[0] == counts[1], (role, url_of(worlds[1]), counts)
        assert counts[1] <= 16, (role, counts)
    # Drilled down and filtered: still the same count.
    first = [
        _queries(worlds[0]["office"], reverse("dashboard:battlemap") + "?parent=A"),
        _queries(
            worlds[1]["office"],
            reverse("dashboard:battlemap") + f"?parent=I1&leader={big_leader.pk}",
        ),
    ]
    assert first[0] == first[1]


def test_the_demo_battle_map_and_peer_ranking_download_as_shown(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(username="office"))
    for url in (reverse("dashboard:battlemap"), reverse("dashboard:peers")):
        shown = list(page_tables(client.get(url).content.decode()).values())
        sheets = workbook_sheets(client.get(url, {"format": "xlsx"}).content)
        assert sheets == shown, url
    peers = workbook_sheets(client.get(reverse("dashboard:peers"), {"format": "xlsx"}).content)[0]
    assert peers[0][0] == "指标" and "保靖县" in peers[0]
    assert any("* " in cell for row in peers[1:] for cell in row)  # synthetic, marked
    ranking = workbook_sheets(
        client.get(reverse("dashboard:battlemap"), {"format": "xlsx"}).content
    )[1]
    assert len(ranking) == 45 and ranking[1][0] == "1"
