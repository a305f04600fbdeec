"""The test world's leaf as an indicator computed from data items (a growth rate)."""

from __future__ import annotations

from kaohe.schemes.models import DataItem, Indicator
from tests.factories import World

FORMULA = "(GDP - GDP_LAST) / GDP_LAST * 100"


def make_itemised(world: World) -> World:
    """The world's leaf becomes a growth rate computed from two data items."""
    DataItem.objects.create(
        county=world.county,
        scheme=world.scheme,
        code="GDP",
        name="地区生产总值",
        name_en="GDP",
        unit_of_measure="亿元",
    )
    DataItem.objects.create(
        county=world.county,
        scheme=world.scheme,
        code="GDP_LAST",
        name="上年同期地区生产总值",
        unit_of_measure="亿元",
        cumulative=False,
    )
    Indicator.objects.filter(pk=world.leaf.pk).update(
        formula=FORMULA, unit_of_measure="%", cumulative=False
    )
    world.leaf.refresh_from_db()
    world.target.refresh_from_db()
    world.other_target.refresh_from_db()
    return world
