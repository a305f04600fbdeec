"""A scheme's year: draft, published, amended only with a reason, closed, copied."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.schemes.models import IndicatorPoints, Scheme, SchemeCategory
from kaohe.schemes.services import scheme_amend, scheme_close, scheme_copy, scheme_publish
from tests.factories import World


@pytest.fixture
def draft(world: World) -> Scheme:
    """The world's scheme as a draft whose one category adds up to its 10 points."""
    Scheme.objects.filter(pk=world.scheme.pk).update(status="draft")
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=10)
    world.scheme.refresh_from_db()
    return world.scheme


def test_a_draft_is_published_only_when_its_categories_add_up(world: World, draft: Scheme) -> None:
    IndicatorPoints.objects.filter(indicator=world.leaf).update(points=Decimal("9"))
    with pytest.raises(ValidationError, match="9"):
        scheme_publish(user=world.user("office"), scheme=draft)
    IndicatorPoints.objects.filter(indicator=world.leaf).update(points=Decimal("10"))
    published = scheme_publish(user=world.user("office"), scheme=draft)
    assert published.status == "published"
    assert AuditEvent.objects.filter(action="scheme.published").exists()


@pytest.mark.parametrize("role", ["unit", "assessor", "leader", "sysadmin"])
def test_only_the_office_manages_schemes(world: World, draft: Scheme, role: str) -> None:
    with pytest.raises(PermissionDenied):
        scheme_publish(user=world.user(role), scheme=draft)


def test_a_published_scheme_changes_only_through_a_numbered_amendment(
    world: World, draft: Scheme
) -> None:
    office = world.user("office")
    scheme = scheme_publish(user=office, scheme=draft)
    with pytest.raises(ValidationError):
        scheme_amend(
            user=office,
            scheme=scheme,
            reason=" ",
            changes=[{"indicator": "A01", "method": {"cap": 1.2}}],
        )
    with pytest.raises(ValidationError):  # would break the category's total
        scheme_amend(
            user=office,
            scheme=scheme,
            reason="调整",
            changes=[{"indicator": "A01", "category": "T1", "points": 12}],
        )
    with pytest.raises(ValidationError):
        scheme_amend(
            user=office,
            scheme=scheme,
            reason="调整",
            changes=[{"indicator": "A01", "method": {"cap": -1}}],
        )
    first = scheme_amend(
        user=office,
        scheme=scheme,
        reason="州里调整封顶",
        changes=[{"indicator": "A01", "method": {"cap": 1.2}}],
    )
    second = scheme_amend(
        user=office,
        scheme=scheme,
        reason="再调整",
        changes=[{"indicator": "A01", "method": {"cap": 1.0}}],
    )
    assert (first.number, second.number) == (1, 2)
    assert first.changes[0]["before"] == {"kind": "completion_ratio", "cap": 1.0}
    world.leaf.refresh_from_db()
    assert world.leaf.method["cap"] == 1.0
    event = AuditEvent.objects.filter(action="scheme.amend").order_by("seq").first()
    assert event is not None and event.after is not None and event.after["reason"] == "州里调整封顶"


def test_a_draft_is_not_amended_and_a_closed_scheme_stays_closed(
    world: World, draft: Scheme
) -> None:
    office = world.user("office")
    with pytest.raises(ValidationError):
        scheme_amend(
            user=office, scheme=draft, reason="x", changes=[{"indicator": "A01", "method": {}}]
        )
    with pytest.raises(ValidationError):
        scheme_close(user=office, scheme=draft)
    closed = scheme_close(user=office, scheme=scheme_publish(user=office, scheme=draft))
    with pytest.raises(ValidationError):
        scheme_publish(user=office, scheme=closed)


def test_a_new_year_starts_as_a_copy_of_last_years_scheme(world: World, draft: Scheme) -> None:
    copy = scheme_copy(user=world.user("office"), scheme=draft, year=draft.year + 1)
    assert copy.status == "draft" and copy.year == draft.year + 1
    assert [i.code for i in copy.indicators.order_by("position")] == ["A", "A01"]
    leaf = copy.indicators.get(code="A01")
    assert leaf.parent is not None and leaf.parent.scheme_id == copy.pk
    assert IndicatorPoints.objects.get(indicator=leaf).points == Decimal("10")
    with pytest.raises(ValidationError):
        scheme_copy(user=world.user("office"), scheme=draft, year=draft.year + 1)


def test_a_draft_is_edited_directly_and_a_published_scheme_only_by_amendment(
    world: World, draft: Scheme
) -> None:
    from kaohe.schemes.services import scheme_edit

    office = world.user("office")
    change = [{"indicator": "A01", "category": "T1", "points": 12}]
    edited = scheme_edit(user=office, scheme=draft, changes=change, version=draft.version)
    assert edited.version == draft.version + 1
    assert IndicatorPoints.objects.get(indicator=world.leaf).points == Decimal("12")
    assert AuditEvent.objects.filter(action="scheme.edit").exists()
    with translation.override("en"), pytest.raises(ValidationError, match="changed this scheme"):
        scheme_edit(user=office, scheme=draft, changes=change, version=draft.version)
    scheme_edit(user=office, scheme=draft, changes=[{**change[0], "points": 10}])
    published = scheme_publish(user=office, scheme=draft)
    with pytest.raises(ValidationError):
        scheme_edit(user=office, scheme=published, changes=change)
