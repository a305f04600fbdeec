"""Warnings by rank among peers, by pace for ceilings, and against milestone schedules."""

from __future__ import annotations

from decimal import Decimal

from kaohe.monitoring.models import Warning
from kaohe.monitoring.services import warning_refresh
from kaohe.org.models import Unit
from kaohe.reporting.models import ProgressReport, Target
from tests.factories import World


def test_a_relative_indicator_colours_by_rank_and_recolours_peers(world: World) -> None:
    leaf = world.leaf
    leaf.method = {"kind": "rank_points"}
    leaf.save(update_fields=["method"])
    june = world.months[5]
    units = [world.town, world.other_town]
    for code in ("T03", "T04"):
        units.append(
            Unit.objects.create(
                county=world.county,
                code=code,
                name=code,
                kind="township",
                category=world.category,
            )
        )
    for unit, value in zip(units, [900, 700, 800, 100], strict=True):
        Target.objects.get_or_create(
            county=world.county,
            scheme=world.scheme,
            unit=unit,
            indicator=leaf,
            defaults={"annual_target": Decimal(1200)},
        )
        ProgressReport.objects.create(
            county=world.county,
            unit=unit,
            indicator=leaf,
            period=june,
            value=Decimal(value),
            status="approved",
        )
    warning_refresh(indicator=leaf, as_of=june.end)
    colours = {w.unit.code: w.colour for w in Warning.objects.select_related("unit")}
    # four units: the last (T04) red, then one orange... by the default bands (0.5, 0.25, 0.1):
    # red 1, orange 1, yellow 2 → T04 red, T02 (700) yellow, T03 (800) and T01 green.
    assert colours == {"T01": "green", "T03": "green", "T02": "yellow", "T04": "red"}
    # T04 now leads: refreshing it alone recolours the whole category.
    ProgressReport.objects.filter(unit=units[3]).update(value=Decimal(1000))
    warning_refresh(indicator=leaf, as_of=june.end, unit_ids=[units[3].pk])
    colours = {w.unit.code: w.colour for w in Warning.objects.select_related("unit")}
    assert colours["T04"] == "green" and colours["T02"] == "red"
    assert "rank 4 of 4" in Warning.objects.get(unit=world.other_town).explanation["arithmetic"]


def test_a_cumulative_ceiling_warns_by_pace_not_only_at_the_yearly_cap(world: World) -> None:
    leaf = world.leaf
    leaf.higher_is_better = False  # e.g. safety accidents, at most 12 a year
    leaf.cumulative = True
    leaf.save(update_fields=["higher_is_better", "cumulative"])
    Target.objects.filter(indicator=leaf).update(annual_target=Decimal(12))
    june = world.months[5]
    for unit, value in ((world.town, 5), (world.other_town, 9)):
        ProgressReport.objects.create(
            county=world.county,
            unit=unit,
            indicator=leaf,
            period=june,
            value=Decimal(value),
            status="approved",
        )
    warning_refresh(indicator=leaf, as_of=june.end)
    colours = {w.unit.code: w.colour for w in Warning.objects.select_related("unit")}
    # By June 30 the schedule allows 5.95 of 12: 5 is within pace, 9 is far ahead of it
    # (both are under the yearly cap of 12, which alone would have coloured both green).
    assert colours == {"T01": "green", "T02": "red"}


def test_a_milestone_schedule_colours_at_every_threshold(world: World) -> None:
    """Due by 30 June: the April milestone, 30 % of 1,000. Default thresholds 0, 5 and 15
    points: 300 is on schedule, 260 (4 behind) yellow, 200 (10 behind) orange, 100 red."""
    from kaohe.reporting.plans import target_set

    office = world.user("office")
    units = [world.town, world.other_town]
    for code in ("T03", "T04"):
        units.append(
            Unit.objects.create(
                county=world.county,
                code=code,
                name=code,
                kind="township",
                category=world.category,
            )
        )
    june = world.months[5]
    for unit, value in zip(units, [300, 260, 200, 100], strict=True):
        target, _ = Target.objects.get_or_create(
            county=world.county,
            scheme=world.scheme,
            unit=unit,
            indicator=world.leaf,
            defaults={"annual_target": Decimal(1000)},
        )
        target_set(
            user=office,
            target=target,
            annual_target="1000",
            reason="按项目节点考核",
            milestones=[("2026-04-30", 0.3), ("2026-08-31", 0.6), ("2026-12-31", 1)],
        )
        ProgressReport.objects.create(
            county=world.county,
            unit=unit,
            indicator=world.leaf,
            period=june,
            value=Decimal(value),
            status="approved",
        )
    warning_refresh(indicator=world.leaf, as_of=june.end)
    rows = {w.unit.code: w for w in Warning.objects.select_related("unit")}
    assert {c: w.colour for c, w in rows.items()} == {
        "T01": "green",
        "T02": "yellow",
        "T03": "orange",
        "T04": "red",
    }
    assert rows["T01"].schedule == 0.3
