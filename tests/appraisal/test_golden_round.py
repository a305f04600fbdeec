"""Issue 7's golden end-to-end case: from confirmed data to published and final grades, with a
quota cutting an excellent grade, a veto, an appeal and its audited amendment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaohe.appraisal.models import Appeal, ResultAmendment, RoundStatus
from kaohe.appraisal.services import (
    appeal_file,
    appeal_resolve,
    round_compute,
    round_finalise,
    round_publish,
    round_rerun_hash,
)
from kaohe.audit.models import AuditEvent
from kaohe.reporting.selectors import values_in_force
from kaohe.results.selectors import indicator_score
from tests.appraisal.golden import RULES, build_golden
from tests.factories import UserFactory, World

TODAY = dt.date(2027, 1, 10)


def _table(rnd) -> dict[str, tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return {
        r.unit.code: (f"{r.composite:.2f}", r.rank, r.grade)
        for r in rnd.results.select_related("unit")
    }


@pytest.fixture
def golden(world: World):  # type: ignore[no-untyped-def]
    units = build_golden(world)
    rnd = round_compute(
        user=world.user("office"),
        scheme=world.scheme,
        kind="annual",
        number=0,
        rules=RULES,
        today=TODAY,
    )
    return world, units, rnd


def test_the_golden_round_matches_every_hand_worked_number(golden) -> None:  # type: ignore[no-untyped-def]
    _world, _units, rnd = golden
    assert _table(rnd) == {
        "T01": ("98.40", 2, "优秀"),
        "T02": ("99.20", 1, "良好"),  # vetoed: at most 良好
        "T03": ("95.20", 4, "良好"),  # qualified for 优秀, cut by the 40% quota
        "T04": ("95.80", 3, "优秀"),
        "T05": ("84.90", 5, "一般"),
    }
    t03 = rnd.results.get(unit__code="T03")
    assert t03.components == {"own": 94.0, "rating": 90.0}
    assert t03.bonus == Decimal("2.00")
    assert "quota" in t03.explanation["grade"]
    assert rnd.results.get(unit__code="T02").veto == "≤ 良好 · 较大安全事故"


def test_a_rerun_of_the_frozen_inputs_reproduces_the_published_hash(golden) -> None:  # type: ignore[no-untyped-def]
    world, _units, rnd = golden
    published = round_publish(user=world.user("office"), round=rnd, notice_days=7, today=TODAY)
    assert published.published_hash == rnd.results_hash
    assert round_rerun_hash(published) == published.published_hash
    # Recomputing from the database is refused once published: the snapshot stands.
    with pytest.raises(ValidationError):
        round_compute(
            user=world.user("office"),
            scheme=world.scheme,
            kind="annual",
            number=0,
            rules=RULES,
            today=TODAY,
        )


def test_an_appeal_changes_results_only_through_an_audited_amendment(golden) -> None:  # type: ignore[no-untyped-def]
    world, units, rnd = golden
    office = world.user("office")
    rnd = round_publish(user=office, round=rnd, notice_days=7, today=TODAY)
    t03_user = UserFactory(county=world.county, role="unit", unit=units["T03"])
    appeal = appeal_file(
        user=t03_user, round=rnd, reason="12月招商资金到位100万元，台账漏报", today=TODAY
    )
    with pytest.raises(ValidationError):  # not final while an appeal waits
        round_finalise(user=office, round=rnd, today=TODAY + dt.timedelta(days=8))
    appeal_resolve(
        user=office,
        appeal=appeal,
        uphold=True,
        resolution="经复核，统计局确认到位资金100万元",
        correction={
            "kind": "value",
            "unit": units["T03"].pk,
            "indicator": world.leaf.pk,
            "value": 100,
        },
    )
    rnd.refresh_from_db()
    # T03 now scores 0.8 × 100 + 0.2 × 90 + 2 = 100 and takes a 优秀 place: T04 is cut instead.
    assert _table(rnd)["T03"] == ("100.00", 1, "优秀")
    assert _table(rnd)["T04"] == ("95.80", 4, "良好")
    amendment = ResultAmendment.objects.get(round=rnd)
    assert amendment.number == 1 and amendment.appeal_id == appeal.pk
    changed = {c["unit"]: c for c in amendment.changes}
    # T03 moves up to first: T02, T01 and T04 each move down a rank; T05 stays as it was.
    assert set(changed) == {units[c].pk for c in ("T01", "T02", "T03", "T04")}
    assert changed[units["T01"].pk]["after"]["rank"] == 3
    assert changed[units["T04"].pk]["before"]["grade"] == "优秀"
    assert changed[units["T04"].pk]["after"]["grade"] == "良好"
    assert amendment.results_hash_before == rnd.published_hash != rnd.results_hash
    assert round_rerun_hash(rnd) == rnd.results_hash
    event = AuditEvent.objects.filter(action="appeal.resolve").get()
    assert event.after["amendment"] == 1 and event.after["correction"]["value"] == 100
    assert Appeal.objects.get(pk=appeal.pk).status == "upheld"
    assert rnd.results.get(unit__code="T04").amended
    # The corrected value is the value in force too: the map and cell page score what the
    # amended round scores, and the correction is audited with the old value.
    in_force = values_in_force(unit_ids=[units["T03"].pk], indicator_ids=[world.leaf.pk])
    assert in_force[(units["T03"].pk, world.leaf.pk)] == Decimal("100")
    corrected = AuditEvent.objects.get(action="report.correct")
    assert corrected.before["value"] != corrected.after["value"] == "100"
    line = next(
        x
        for x in rnd.results.get(unit__code="T03").explanation["own"]
        if x["indicator"] == world.leaf.code
    )
    as_of = dt.date.fromisoformat(rnd.inputs["round"]["as_of"])
    cell = indicator_score(unit=units["T03"], indicator=world.leaf, as_of=as_of)
    assert cell is not None and float(cell.score) == line["score"]
    final = round_finalise(user=office, round=rnd, today=TODAY + dt.timedelta(days=8))
    assert final.status == RoundStatus.FINAL


def test_appeals_only_in_the_notice_period_and_only_for_the_units_own_result(golden) -> None:  # type: ignore[no-untyped-def]
    world, units, rnd = golden
    unit_user = world.user("unit")  # T01
    with pytest.raises(ValidationError):  # not yet published
        appeal_file(user=unit_user, round=rnd, reason="x", today=TODAY)
    rnd = round_publish(user=world.user("office"), round=rnd, notice_days=5, today=TODAY)
    with pytest.raises(ValidationError):  # too late
        appeal_file(user=unit_user, round=rnd, reason="x", today=TODAY + dt.timedelta(days=6))
    appeal = appeal_file(user=unit_user, round=rnd, reason="复核", today=TODAY)
    with pytest.raises(ValidationError):  # an upheld appeal may not rewrite another unit
        appeal_resolve(
            user=world.user("office"),
            appeal=appeal,
            uphold=True,
            resolution="x",
            correction={
                "kind": "value",
                "unit": units["T05"].pk,
                "indicator": world.leaf.pk,
                "value": 100,
            },
        )
    rejected = appeal_resolve(
        user=world.user("office"), appeal=appeal, uphold=False, resolution="数据无误"
    )
    assert rejected.status == "rejected"
    assert not ResultAmendment.objects.exists()


def test_verification_catches_a_score_rewritten_behind_the_services(golden) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from kaohe.appraisal.services import round_verify

    world, _units, rnd = golden
    rnd = round_publish(user=world.user("office"), round=rnd, notice_days=7, today=TODAY)
    assert round_verify(rnd) == []
    call_command("round_verify")
    rnd.results.filter(unit__code="T05").update(grade="良好")
    assert round_verify(rnd) == ["T05: stored ('84.90', 5, '良好') differs from the rerun"]
    with pytest.raises(CommandError):
        call_command("round_verify")


def test_a_quarterly_round_appraises_only_the_leaves_already_due(world: World) -> None:
    from kaohe.schemes.models import Indicator

    build_golden(world)
    Indicator.objects.filter(code="A02").update(frequency="yearly")
    rnd = round_compute(
        user=world.user("office"),
        scheme=world.scheme,
        kind="quarterly",
        number=1,
        rules=RULES | {"components": {"own": 1.0}, "quotas": {}},
    )
    # A02 is yearly: not due in the first quarter, so only A01's 60 points count; no
    # December value is confirmed by March either, so everyone scores 0 of 60.
    t01 = rnd.results.get(unit__code="T01")
    assert [line["indicator"] for line in t01.explanation["own"]] == ["A01"]
    assert t01.components == {"own": 0.0}
