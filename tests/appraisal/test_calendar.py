"""Rounds respect the calendar: before its period ends a round is a provisional preview that
can be neither published nor applied; the compute form runs the round in the worker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kaohe.appraisal import services as round_services
from kaohe.appraisal.applications import awards_apply, cadre_action_record
from kaohe.appraisal.models import Round, RoundStatus
from kaohe.appraisal.services import round_compute, round_publish, round_verify
from kaohe.audit.models import AuditEvent
from kaohe.jobs.models import BackgroundJob, JobStatus
from tests.appraisal.golden import RULES, build_golden
from tests.factories import World

MID_NOVEMBER = dt.date(2026, 11, 15)  # the fourth quarter of the world's year is running
NEXT_JANUARY = dt.date(2027, 1, 10)


def test_a_quarter_not_ended_is_a_provisional_preview_that_cannot_be_published(
    world: World,
) -> None:
    build_golden(world)
    office = world.user("office")
    rnd = round_compute(
        user=office, scheme=world.scheme, kind="quarterly", number=4, today=MID_NOVEMBER
    )
    # Judged on the data so far, not against the whole quarter's target.
    assert rnd.provisional and rnd.as_of == MID_NOVEMBER
    assert round_verify(rnd) == []
    with pytest.raises(ValidationError) as err:
        round_publish(user=office, round=rnd, notice_days=7, today=MID_NOVEMBER)
    assert err.value.messages == [
        "该轮考核是预览（未到期）：考核期于2026年12月31日结束。请在该日之后重新计算，再行公示。"
    ]
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.COMPUTED
    # After the quarter, computed again: a round like any other.
    rnd = round_compute(
        user=office, scheme=world.scheme, kind="quarterly", number=4, today=NEXT_JANUARY
    )
    assert not rnd.provisional and rnd.as_of == dt.date(2026, 12, 31)
    rnd = round_publish(user=office, round=rnd, notice_days=7, today=NEXT_JANUARY)
    assert rnd.status == RoundStatus.PUBLISHED
    computed = AuditEvent.objects.filter(action="round.compute").order_by("seq")
    assert [e.after["provisional"] for e in computed] == [True, False]


def test_a_period_that_has_not_begun_is_refused(world: World) -> None:
    build_golden(world)
    with pytest.raises(ValidationError, match="2026年10月1日开始"):
        round_compute(
            user=world.user("office"),
            scheme=world.scheme,
            kind="quarterly",
            number=4,
            today=dt.date(2026, 8, 1),
        )
    assert not Round.objects.exists()


def test_awards_and_decisions_about_cadres_refuse_a_provisional_round(world: World) -> None:
    units = build_golden(world)
    office = world.user("office")
    rnd = round_compute(
        user=office, scheme=world.scheme, kind="annual", number=0, rules=RULES, today=MID_NOVEMBER
    )
    with pytest.raises(ValidationError, match="预览"):
        awards_apply(
            user=office,
            round=rnd,
            coefficients={"优秀": Decimal("1.2")},
            merit_units=[],
            decided_on=MID_NOVEMBER,
        )
    with pytest.raises(ValidationError) as err:
        cadre_action_record(
            user=world.user("organisation"),
            cadre=world.leader,
            kind="reminder",
            year=2026,
            results=[rnd.results.get(unit=units["T05"])],
            basis="年度考核较差",
            decided_on=MID_NOVEMBER,
        )
    assert err.value.message_dict == {"results": ["干部任用决定不能以考核预览（未到期）为依据。"]}


def test_the_compute_form_runs_the_round_in_a_job_that_links_to_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_golden(world)
    monkeypatch.setattr(round_services, "appraisal_today", lambda: MID_NOVEMBER)
    client = Client()
    client.force_login(world.user("office"))
    response = client.post(reverse("appraisal:compute"), {"kind": "quarterly", "number": "4"})
    job = BackgroundJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.status) == ("appraisal.compute", JobStatus.DONE)
    assert (job.done, job.total) == (3, 3)
    rnd = Round.objects.get()
    assert job.outcome["url"] == reverse("appraisal:round", args=[rnd.pk])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "预览（未到期）" in page and "查看考核结果" in page
    # Every page showing the round marks it, and publishing it is refused with the reason.
    listing = client.get(reverse("appraisal:rounds")).content.decode()
    assert "预览 · 未到期" in listing
    page = client.get(reverse("appraisal:round", args=[rnd.pk])).content.decode()
    assert 'data-testid="provisional"' in page and "本考核期于2026年12月31日结束" in page
    result = rnd.results.first()
    assert result is not None
    detail = client.get(reverse("appraisal:result", args=[result.pk])).content.decode()
    assert "预览 · 未到期" in detail
    page = client.post(
        reverse("appraisal:publish", args=[rnd.pk]), {"notice_days": "7"}, follow=True
    ).content.decode()
    assert "请在该日之后重新计算，再行公示" in page
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.COMPUTED


def test_a_round_that_cannot_be_computed_fails_its_job_with_the_reason_and_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_golden(world)  # the default annual rules weigh quarterly rounds; none is published
    monkeypatch.setattr(round_services, "appraisal_today", lambda: NEXT_JANUARY)
    client = Client()
    client.force_login(world.user("office"))
    client.post(reverse("appraisal:compute"), {"kind": "annual"})
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.outcome["problems"] == ["年度考核计入季度考评结果，但尚无已公示的季度考评。"]
    assert not Round.objects.exists()
    assert not AuditEvent.objects.filter(action="round.compute").exists()


def test_a_quarter_outside_1_to_4_is_refused_by_the_form(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    page = client.post(
        reverse("appraisal:compute"), {"kind": "quarterly", "number": "5"}, follow=True
    ).content.decode()
    assert "季度考评请选择第1至4季度" in page
    assert not BackgroundJob.objects.exists()
