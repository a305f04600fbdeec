"""The indicator system page: the tree, points per category and the coverage of the
higher-level indicators."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from kaohe.schemes.models import SchemeCategory, SourceIndicator
from kaohe.schemes.selectors import category_totals, coverage_list
from tests.factories import World


def test_it_flags_a_category_whose_points_do_not_add_up(world: World) -> None:
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=100)
    (total,) = category_totals(scheme=world.scheme)
    assert total.points == Decimal("10") and not total.balanced
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("schemes:current")).content.decode()
    assert "10" in page and "100" in page and "✓" not in page


def test_it_lists_higher_level_indicators_without_a_county_counterpart(world: World) -> None:
    world.leaf.source_code = "Z001"
    world.leaf.save()
    for code, name in [("Z001", "招商引资"), ("Z002", "高铁站建设")]:
        SourceIndicator.objects.create(
            county=world.county, scheme=world.scheme, code=code, name=name
        )
    assert [s.code for s in coverage_list(scheme=world.scheme)] == ["Z002"]
    client = Client()
    client.force_login(world.user("leader"))
    assert "高铁站建设" in client.get(reverse("schemes:current")).content.decode()
