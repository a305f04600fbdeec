"""Saving the designer's change: a published scheme's as a numbered amendment with its reason,
after the ranks it moves are shown; a draft's directly; a stale page never overwrites."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.schemes.models import IndicatorPoints, Scheme, SchemeAmendment, SchemeCategory
from kaohe.schemes.services import scheme_copy
from tests.factories import World
from tests.results.test_designer import _second_leaf_with_data

FORM = {"kind": "completion_ratio", "completion_ratio__cap": "100", "points": "10"}


def _office(world: World) -> Client:
    client = Client()
    client.force_login(world.user("office"))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def ranked(world: World) -> World:
    """Two leaves worth 10 and 5 of the category's 15; 甲镇 first now (10.5 against 10)."""
    _second_leaf_with_data(world)
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=15)
    world.scheme.refresh_from_db()
    return world


def _post(world: World, name: str, pk: int, **data: str) -> object:
    form = {
        **FORM,
        "category": world.category.code,
        "scheme": str(world.scheme.pk),
        "version": str(world.scheme.version),
        **data,
    }
    return _office(world).post(reverse(name, args=[pk]), form)


def test_the_review_shows_the_units_whose_rank_moves_before_saving(ranked: World) -> None:
    a02 = ranked.scheme.indicators.get(code="A02")
    # A02 worth 13 and A01 only 2: 乙镇 (1 + 13) overtakes 甲镇 (2 + 1.3).
    page = _post(
        ranked, "results:designer_review", a02.pk, points="13", balance=str(ranked.leaf.pk)
    )
    moved = page.context["moved"]  # type: ignore[attr-defined]
    assert [(r.unit.code, r.before_rank, r.after_rank) for r in moved] == [
        ("T02", 2, 1),
        ("T01", 1, 2),
    ]
    assert page.context["proposal"].balanced  # type: ignore[attr-defined]
    assert not SchemeAmendment.objects.exists()


def test_a_published_schemes_change_is_saved_as_a_numbered_amendment(ranked: World) -> None:
    response = _post(
        ranked,
        "results:designer_save",
        ranked.leaf.pk,
        completion_ratio__cap="120",
        reason="州里调整",
    )
    assert response["HX-Redirect"].startswith(reverse("results:designer"))  # type: ignore[index]
    amendment = SchemeAmendment.objects.get(scheme=ranked.scheme)
    assert (amendment.number, amendment.reason, amendment.created_by) == (
        1,
        "州里调整",
        ranked.user("office"),
    )
    assert amendment.changes[0]["after"] == {"kind": "completion_ratio", "cap": 1.2}
    ranked.scheme.refresh_from_db()
    assert ranked.scheme.version == 2


def test_an_amendment_needs_a_reason(ranked: World) -> None:
    page = _post(ranked, "results:designer_save", ranked.leaf.pk, completion_ratio__cap="120")
    assert page.context["save"].non_field_errors()  # type: ignore[attr-defined]
    assert not SchemeAmendment.objects.exists()


def test_a_points_change_that_breaks_the_total_is_refused_unless_balanced(ranked: World) -> None:
    a02 = ranked.scheme.indicators.get(code="A02")
    page = _post(ranked, "results:designer_save", a02.pk, points="8", reason="加权")
    assert not page.context["proposal"].balanced  # type: ignore[attr-defined]
    assert not SchemeAmendment.objects.exists()
    _post(
        ranked,
        "results:designer_save",
        a02.pk,
        points="8",
        reason="加权",
        balance=str(ranked.leaf.pk),
    )
    points = dict(
        IndicatorPoints.objects.filter(indicator__scheme=ranked.scheme).values_list(
            "indicator__code", "points"
        )
    )
    assert points == {"A01": Decimal("7.00"), "A02": Decimal("8.00")}
    assert len(SchemeAmendment.objects.get().changes) == 2


def test_a_stale_page_is_told_and_overwrites_nothing(ranked: World) -> None:
    _post(ranked, "results:designer_save", ranked.leaf.pk, completion_ratio__cap="120", reason="一")
    # A second clerk's page was opened on version 1, before the first clerk saved.
    page = _post(
        ranked, "results:designer_save", ranked.leaf.pk, completion_ratio__cap="150", reason="二"
    )
    errors = " ".join(page.context["save"].non_field_errors())  # type: ignore[attr-defined]
    assert "(version 1, now 2)" in errors
    assert SchemeAmendment.objects.count() == 1
    ranked.leaf.refresh_from_db()
    assert ranked.leaf.method["cap"] == 1.2


def test_a_drafts_change_is_saved_directly(ranked: World) -> None:
    draft = scheme_copy(user=ranked.user("office"), scheme=ranked.scheme, year=2027)
    leaf = draft.indicators.get(code="A01")
    form = {
        **FORM,
        "points": "12",
        "category": ranked.category.code,
        "scheme": str(draft.pk),
        "version": str(draft.version),
    }
    response = _office(ranked).post(reverse("results:designer_save", args=[leaf.pk]), form)
    assert "HX-Redirect" in response
    assert IndicatorPoints.objects.get(indicator=leaf).points == Decimal("12.00")
    assert not SchemeAmendment.objects.exists()
    assert AuditEvent.objects.filter(action="scheme.edit").exists()
    assert Scheme.objects.get(pk=draft.pk).version == 2


def test_the_designer_opens_a_draft_chosen_on_the_schemes_page(ranked: World) -> None:
    draft = scheme_copy(user=ranked.user("office"), scheme=ranked.scheme, year=2027)
    page = _office(ranked).get(reverse("results:designer") + f"?scheme={draft.pk}")
    assert page.context["scheme"] == draft
    assert "2027" in page.content.decode()
