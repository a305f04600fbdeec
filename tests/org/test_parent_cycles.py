"""Cycles of parent units are found once, by one function, for the file check and the import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kaohe.org.onboarding import Organisation, UnitRow, organisation_import, parent_cycles
from tests.factories import UserFactory, World


def test_a_tree_has_no_cycle() -> None:
    assert parent_cycles({"T01": None, "T0101": "T01", "T0102": "T01", "T010101": "T0101"}) == []


def test_a_parent_outside_the_map_ends_the_chain() -> None:
    assert parent_cycles({"T0101": "T01", "T010101": "T0101"}) == []


def test_each_cycle_is_listed_once_from_its_unit_listed_first() -> None:
    parent_of = {"A": "B", "X": "Y", "B": "C", "C": "A", "Y": "X"}
    assert parent_cycles(parent_of) == [["A", "B", "C"], ["X", "Y"]]


def test_a_unit_that_only_leads_into_a_cycle_is_not_part_of_it() -> None:
    # Z hangs under A; the cycle is met from Z first but starts at A, listed before B.
    assert parent_cycles({"Z": "A", "B": "A", "A": "B"}) == [["B", "A"]]


def test_a_unit_that_is_its_own_parent_is_a_cycle_of_one() -> None:
    assert parent_cycles({"A": "A", "B": "A"}) == [["A"]]


def test_a_long_chain_is_walked_once_per_unit() -> None:
    chain: dict[str, str | None] = {f"U{i}": f"U{i + 1}" for i in range(20000)}
    chain["U20000"] = "U0"
    assert [len(c) for c in parent_cycles(chain)] == [20001]


@pytest.mark.django_db
def test_the_import_refuses_every_cycle_and_writes_nothing(world: World) -> None:
    actor = UserFactory(username="platform-sys", county=None, role="sysadmin")
    units = tuple(
        UnitRow(code, code, "township", None, parent, False, False, False)
        for code, parent in (("N1", "N2"), ("N2", "N1"), ("M1", "M2"), ("M2", "M3"), ("M3", "M1"))
    )
    with pytest.raises(ValidationError) as refused:
        organisation_import(
            actor=actor, county=world.county, organisation=Organisation(units=units)
        )
    assert refused.value.messages == [
        "单位N1是自己的上级（形成循环）。",
        "单位M1是自己的上级（形成循环）。",
    ]
    assert not world.county.units.filter(code__in=["N1", "M1"]).exists()
