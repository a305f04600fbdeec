"""The office's schemes page: every year's scheme with its status and amendments, and the
lifecycle's transitions from the browser (publish, close with a confirmation, copy to next year)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.schemes.models import IndicatorPoints, Scheme, SchemeCategory
from kaohe.schemes.services import scheme_amend
from tests.factories import World, build_world


def _office(world: World) -> Client:
    client = Client()
    client.force_login(world.user("office"))
    return client


@pytest.fixture
def balanced(world: World) -> World:
    """The world's scheme with its one category adding up to its 10 points."""
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=10)
    return world


def _draft(world: World, year: int, points: str = "10") -> Scheme:
    client = _office(world)
    client.post(reverse("schemes:copy", args=[world.scheme.pk]), {"year": str(year)})
    draft = Scheme.objects.get(county=world.county, year=year)
    IndicatorPoints.objects.filter(indicator__scheme=draft).update(points=Decimal(points))
    return draft


def test_the_page_lists_every_scheme_with_its_status_and_amendments(balanced: World) -> None:
    scheme_amend(
        user=balanced.user("office"),
        scheme=balanced.scheme,
        reason="州考核办调整封顶",
        changes=[{"indicator": "A01", "method": {"cap": 1.2}}],
    )
    _draft(balanced, 2027)
    page = _office(balanced).get(reverse("schemes:list"))
    text = page.content.decode()
    assert [r["row"].scheme.year for r in page.context["rows"]] == [2027, 2026]
    assert "州考核办调整封顶" in text
    [(amendment, lines)] = page.context["rows"][1]["amendments"]
    assert amendment.number == 1
    # The parameters in words, never as codes: 封顶 120%, not cap=1.2.
    assert "A01" in lines[0] and "cap" not in lines[0] and lines[0].endswith("（封顶 120%）")


def test_a_draft_that_does_not_add_up_shows_why_and_is_not_published(balanced: World) -> None:
    draft = _draft(balanced, 2027, points="9")
    client = _office(balanced)
    page = client.get(reverse("schemes:list"))
    assert "9" in page.content.decode() and 'data-testid="unbalanced"' in page.content.decode()
    page = client.post(
        reverse("schemes:publish", args=[draft.pk]),
        {"version": draft.version, "confirm": "yes"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_the_office_publishes_a_draft_that_adds_up_once_it_confirms(balanced: World) -> None:
    draft = _draft(balanced, 2027)
    client = _office(balanced)
    url = reverse("schemes:publish", args=[draft.pk])
    page = client.post(url, {"version": draft.version}, follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    client.post(url, {"version": draft.version, "confirm": "yes"})
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publishing_next_years_scheme_says_it_takes_over_on_1_january(
    balanced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 4))
    draft = _draft(balanced, 2027)
    client = _office(balanced)
    page = client.get(reverse("schemes:list")).content.decode()
    assert "它自2027年1月1日起成为现行方案" in page
    page = client.post(
        reverse("schemes:publish", args=[draft.pk]),
        {"version": draft.version, "confirm": "yes"},
        follow=True,
    )
    assert "自2027年1月1日起成为现行方案" in page.content.decode()
    rows = {r["row"].scheme.year: r for r in page.context["rows"]}
    # 2026's scheme stays in force in December; 2027's is marked as coming.
    assert rows[2026]["in_force"] and not rows[2027]["in_force"]
    assert 'data-testid="future-note"' in page.content.decode()


def test_a_stale_page_does_not_publish(balanced: World) -> None:
    draft = _draft(balanced, 2027)
    page = _office(balanced).post(
        reverse("schemes:publish", args=[draft.pk]),
        {"version": draft.version + 5, "confirm": "yes"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_closing_asks_for_a_confirmation(balanced: World) -> None:
    client = _office(balanced)
    url = reverse("schemes:close", args=[balanced.scheme.pk])
    client.post(url, {"version": balanced.scheme.version})
    balanced.scheme.refresh_from_db()
    assert balanced.scheme.status == "published"
    client.post(url, {"version": balanced.scheme.version, "confirm": "yes"})
    balanced.scheme.refresh_from_db()
    assert balanced.scheme.status == "closed"
    assert AuditEvent.objects.filter(action="scheme.closed").exists()


def test_copying_to_next_year_makes_a_draft_with_the_round_rules_and_no_demo_flag(
    balanced: World,
) -> None:
    Scheme.objects.filter(pk=balanced.scheme.pk).update(
        is_demo=True, appraisal_rules={"annual": {"grades": [["好", 90]]}}
    )
    draft = _draft(balanced, 2027)
    assert draft.status == "draft" and not draft.is_demo
    assert draft.appraisal_rules == {"annual": {"grades": [["好", 90]]}}
    assert draft.name == "2027年度绩效考核方案"
    page = _office(balanced).get(reverse("schemes:list"))
    # 2027 is taken now: only 2027's scheme offers a copy (to 2028).
    assert [r["next_year"] for r in page.context["rows"]] == [2028, None]


def test_another_countys_scheme_is_not_found(balanced: World) -> None:
    other = build_world(code="900002")
    response = _office(balanced).post(
        reverse("schemes:publish", args=[other.scheme.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 404
