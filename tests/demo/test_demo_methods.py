"""The demo scheme uses every leaf scoring method, and its annual round spreads over the grades
(issue 12, item 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from kaohe.appraisal.models import Round
from kaohe.demo import data as d
from kaohe.reporting.models import ProgressReport
from kaohe.schemes.models import Indicator
from kaohe.scoring.registry import METHODS, validate_method
from kaohe.scoring.rounds import compute_round
from tests.conftest import shared_demo

TODAY = dt.date(2026, 11, 24)

# Every leaf method of the registry, and the variants SCORING.md names for some of them.
VARIANTS = {
    "completion_ratio",
    "completion_ratio:cap 1.2",
    "completion_ratio:floor",
    "completion_ratio:all_or_nothing",
    "stepped_completion",
    "efficacy_coefficient:higher is better",
    "efficacy_coefficient:lower is better",
    "efficacy_five_standards",
    "rank_points:table",
    "rank_points:step_share",
    "proportional_to_best",
    "deduction",
    "checklist",
    "per_event_points",
}


def _variants(method: Mapping[str, Any]) -> set[str]:
    kind = str(method["kind"])
    found = {kind}
    if kind == "completion_ratio":
        if method.get("cap", 1.0) == 1.2:
            found.add(f"{kind}:cap 1.2")
        if method.get("floor", 0.0) > 0:
            found.add(f"{kind}:floor")
        if method.get("all_or_nothing"):
            found.add(f"{kind}:all_or_nothing")
    elif kind == "efficacy_coefficient":
        # The order of the satisfactory and not-allowed values sets the direction.
        higher = method["satisfactory"] > method["not_allowed"]
        found.add(f"{kind}:{'higher' if higher else 'lower'} is better")
    elif kind == "rank_points":
        found |= {f"{kind}:{rule}" for rule in ("table", "step_share") if rule in method}
    return found


def test_the_demo_tree_names_every_leaf_method_and_variant_each_valid() -> None:
    used: set[str] = set()
    for leaf in d.leaves():
        assert validate_method(leaf.method_json()) == [], leaf.code
        used |= _variants(leaf.method)
    assert used >= VARIANTS, VARIANTS - used
    # Every leaf method the registry offers, bar the shortfall deduction (a deduction per unit
    # of shortfall against a target, which the demo scores by completion ratio instead).
    assert set(METHODS) - {"shortfall_deduction"} <= {v.split(":")[0] for v in used}
    # Most leaves keep the plain completion ratio.
    plain = [
        leaf
        for leaf in d.leaves()
        if leaf.method_json() == {"kind": "completion_ratio", "cap": 1.0}
    ]
    assert len(plain) > len(d.leaves()) * 3 / 4


built = shared_demo(TODAY)


@pytest.fixture
def demo(built: object, db: None) -> object:
    return built


def test_the_built_scheme_stores_each_leaf_s_method_as_the_tree_names_it(demo: object) -> None:
    stored = dict(
        Indicator.objects.filter(county__code=d.COUNTY.code, level=3).values_list("code", "method")
    )
    assert stored == {leaf.code: leaf.method_json() for leaf in d.leaves()}
    assert all(validate_method(method) == [] for method in stored.values())
    assert set().union(*(_variants(m) for m in stored.values())) >= VARIANTS


def test_counted_leaves_report_small_whole_numbers_of_events_that_never_fall(
    demo: object,
) -> None:
    for leaf in d.leaves():
        if leaf.method_kind not in ("deduction", "per_event_points", "checklist"):
            continue
        by_unit: dict[int, list[float]] = {}
        for unit_id, value in (
            ProgressReport.objects.filter(
                indicator__code=leaf.code,
                unit__county__code="433125",
                period__scheme__year=TODAY.year,  # this year's counts, not last year's
            )
            .order_by("unit_id", "period__end")
            .values_list("unit_id", "value")
        ):
            by_unit.setdefault(unit_id, []).append(float(value))
        assert by_unit, leaf.code
        for values in by_unit.values():
            assert all(v >= 0 and v.is_integer() for v in values), leaf.code
            assert values == sorted(values), leaf.code  # counts of the year so far
        latest = [values[-1] for values in by_unit.values()]
        if leaf.method_kind == "deduction":
            # Accidents and irregular petitions are few: most units have none or one.
            assert max(latest) <= 8 and sum(v <= 1 for v in latest) > len(latest) / 2, leaf.code
            assert 0 in latest and max(latest) >= 1, leaf.code


def test_efficacy_leaves_report_values_on_both_sides_of_the_satisfactory_value(
    demo: object,
) -> None:
    for leaf in d.leaves():
        if leaf.method_kind != "efficacy_coefficient":
            continue
        good, bad = float(leaf.method["satisfactory"]), float(leaf.method["not_allowed"])
        values = [
            float(v)
            for v in ProgressReport.objects.filter(
                indicator__code=leaf.code,
                unit__county__code="433125",
                period__scheme__year=TODAY.year,
            ).values_list("value", flat=True)
        ]
        better = [v for v in values if (v >= good if good > bad else v <= good)]
        inside = [v for v in values if min(good, bad) < v < max(good, bad)]
        assert better and inside, leaf.code


def test_the_annual_preview_has_outstanding_units_and_its_quota_cuts_one(demo: object) -> None:
    preview = Round.objects.get(
        scheme__county__code=d.COUNTY.code, scheme__year=TODAY.year, kind="annual"
    )
    results = compute_round(preview.inputs)["units"].values()
    assert any(r["grade"] == "优秀" for r in results)
    cut = [r for r in results if r["qualified"] == "优秀" and r["grade"] != "优秀"]
    assert cut, "the share quota on 优秀 cuts nobody"
