"""Which scheme is in force: this year's published one, never a draft, never next year's early.

The office publishes next year's scheme in December; the pages keep working with this year's
until 1 January (the walk of 2026-12-04 found every page jumping to 2027)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from kaohe.schemes.access import scheme_current
from kaohe.schemes.models import Scheme
from kaohe.schemes.selectors import scheme_in_force
from tests.factories import World

DECEMBER = dt.date(2026, 12, 4)
JANUARY = dt.date(2027, 1, 1)


def _scheme(world: World, year: int, status: str) -> Scheme:
    return Scheme.objects.create(county=world.county, year=year, name=f"{year}", status=status)


def test_next_years_published_scheme_takes_over_only_on_1_january(world: World) -> None:
    next_year = _scheme(world, 2027, "published")
    office = world.user("office")
    assert scheme_current(office, today=DECEMBER) == world.scheme
    assert scheme_current(office, today=JANUARY) == next_year


def test_a_draft_is_never_in_force(world: World) -> None:
    _scheme(world, 2027, "draft")
    assert scheme_current(world.user("office"), today=JANUARY) == world.scheme
    Scheme.objects.filter(pk=world.scheme.pk).update(status="draft")
    with pytest.raises(Http404):
        scheme_current(world.user("office"), today=JANUARY)


def test_last_years_published_scheme_stays_in_force_until_this_years_is_published(
    world: World,
) -> None:
    draft = _scheme(world, 2027, "draft")
    assert scheme_in_force(county_id=world.county.pk, today=dt.date(2027, 2, 1)) == world.scheme
    Scheme.objects.filter(pk=draft.pk).update(status="published")
    assert scheme_in_force(county_id=world.county.pk, today=dt.date(2027, 2, 1)) == draft


def test_a_published_scheme_wins_over_a_newer_closed_one_and_closed_is_the_last_resort(
    world: World,
) -> None:
    Scheme.objects.filter(pk=world.scheme.pk).update(status="closed")
    older = _scheme(world, 2025, "published")
    assert scheme_in_force(county_id=world.county.pk, today=DECEMBER) == older
    Scheme.objects.filter(pk=older.pk).update(status="closed")
    assert scheme_in_force(county_id=world.county.pk, today=DECEMBER) == world.scheme


def test_only_a_future_scheme_means_none_is_in_force_yet(world: World) -> None:
    Scheme.objects.filter(pk=world.scheme.pk).update(year=2027)
    assert scheme_in_force(county_id=world.county.pk, today=DECEMBER) is None
    assert scheme_in_force(county_id=world.county.pk, today=JANUARY) is not None
