"""The demo shows every stage of the year in use (issue 12, item 5): the five lists of every
target, evidence files, reminders, orders and a talk, rectifications accepted and returned,
an upheld and a rejected appeal, a closed earlier year with its results applied, bulletins
issued and a difficult problem raised by a unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.appraisal.models import Appeal, Award, CadreAction, ResultAmendment, Round
from kaohe.appraisal.services import round_verify
from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify
from kaohe.dashboard.bulletins import bulletin_intact, bulletin_matches_history
from kaohe.dashboard.models import Bulletin
from kaohe.org.models import Unit, User
from kaohe.reporting.evidence import evidence_check
from kaohe.reporting.models import Evidence, ProgressReport, Target
from kaohe.schemes.models import Scheme
from kaohe.supervision.models import Notice, Problem, Rectification
from tests.conftest import shared_demo

TODAY = dt.date(2026, 11, 24)
built = shared_demo(TODAY)


@pytest.fixture
def demo(built: object, db: None) -> Any:
    return built


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_every_target_of_every_assessed_unit_has_its_five_lists(demo: Any) -> None:
    assessed = Unit.objects.filter(county=demo.county, is_assessed=True)
    targets = Target.objects.filter(scheme__year=TODAY.year).select_related("lists")
    assert set(targets.values_list("unit_id", flat=True)) == set(
        assessed.values_list("pk", flat=True)
    )
    for target in targets:  # target list: the target itself; then tasks, measures, who answers
        lists = target.lists
        assert lists.tasks and all(t["title"] and t["deadline"] for t in lists.tasks), target.pk
        assert lists.measures and lists.leader_id and lists.person_in_charge and lists.contact
        assert lists.leader.unit_id == target.unit_id  # type: ignore[union-attr]
    # The progress list: every unit reports.
    reporting = set(
        ProgressReport.objects.filter(period__scheme__year=TODAY.year).values_list(
            "unit_id", flat=True
        )
    )
    assert reporting == set(assessed.values_list("pk", flat=True))
    # The demo unit saved its own lists, as a unit does; the bulk rest is audited once.
    unit = User.objects.get(username="unit")
    own = Target.objects.filter(scheme__year=TODAY.year, unit_id=unit.unit_id).count()
    saved = AuditEvent.objects.filter(action="lists.save", actor_name=unit.username)
    assert saved.count() == own
    assert AuditEvent.objects.filter(action="demo.lists").count() == 1
    page = _client("unit").get(
        reverse(
            "reporting:lists",
            args=[Target.objects.filter(unit_id=unit.unit_id, scheme__year=TODAY.year).first().pk],  # type: ignore[union-attr]
        )
    )
    assert page.status_code == 200 and "绩效联络员" in page.content.decode()


def test_some_reports_carry_real_evidence_files_on_disk(demo: Any) -> None:
    evidence = list(Evidence.objects.select_related("report"))
    assert len(evidence) >= Unit.objects.filter(county=demo.county, is_assessed=True).count()
    assert {e.content_type for e in evidence} == {"image/png", "application/pdf"}
    for e in evidence:
        assert Path(e.file.path).is_file(), e.file.name
        with e.file.open("rb") as f:
            checked = evidence_check(f)
        assert (checked.content_type, checked.size, checked.sha256) == (
            e.content_type,
            e.size,
            e.sha256,
        )
        assert e.report.status in ("approved", "confirmed")
    assert AuditEvent.objects.filter(action="evidence.attach").count() == len(evidence)
    mine = next(e for e in evidence if e.uploaded_by is not None)
    response = _client("unit").get(reverse("reporting:evidence", args=[mine.pk]))
    assert response.status_code == 200


def test_notices_run_from_reminder_to_order_to_talk_and_rectifications_are_decided(
    demo: Any,
) -> None:
    notices = Notice.objects.filter(county=demo.county).exclude(number="")
    kinds = set(notices.values_list("kind", flat=True))
    assert kinds == {"reminder", "order", "talk"}
    talk = notices.get(kind="talk")
    assert talk.number == "保绩谈〔2026〕1号" and talk.status == "issued"
    assert [talk.parent.kind, talk.parent.parent.kind] == ["order", "reminder"]  # type: ignore[union-attr]
    assert notices.filter(kind="order").count() == 2
    decisions = set(Rectification.objects.values_list("decision", flat=True))
    assert {"accepted", "returned", "pending"} <= decisions
    assert Rectification.objects.filter(evidence__isnull=False).exists()
    page = _client("office").get(reverse("supervision:notice", args=[talk.pk]))
    assert page.status_code == 200 and talk.number in page.content.decode()


def test_a_difficult_problem_is_raised_by_a_unit(demo: Any) -> None:
    raised = Problem.objects.filter(county=demo.county, source="unit")
    assert raised.exists()
    assert raised.filter(unit__code="T01").exists()
    assert Problem.objects.filter(county=demo.county, source="supervision").exists()


def test_last_year_is_closed_with_its_final_annual_round_awards_and_cadre_decisions(
    demo: Any,
) -> None:
    last = Scheme.objects.get(county=demo.county, year=TODAY.year - 1)
    assert last.status == "closed"
    assert Scheme.objects.get(county=demo.county, year=TODAY.year).status == "published"
    assert ProgressReport.objects.filter(period__scheme=last, status="confirmed").count() == (
        Target.objects.filter(scheme=last).count()
    )
    annual = Round.objects.get(scheme=last)
    assert (annual.kind, annual.status) == ("annual", "final")
    assert annual.results.count() == 44 and round_verify(annual) == []
    assert "quarterly" not in annual.rules["components"]  # no quarterly rounds kept
    grades = set(annual.results.values_list("grade", flat=True))
    assert {"优秀", "良好"} <= grades
    awards = Award.objects.filter(result__round=annual)
    assert awards.filter(kind="pay_coefficient").count() == 44
    merit = awards.filter(kind="collective_merit")
    assert merit.exists() and all(a.result.grade == "优秀" for a in merit)
    actions = CadreAction.objects.filter(year=last.year)
    assert actions.count() >= 5
    assert {"promotion", "further_use", "rank_raise", "reminder"} <= set(
        actions.values_list("kind", flat=True)
    )
    assert all(r.round_id == annual.pk for a in actions for r in a.results.all())
    page = _client("office").get(reverse("appraisal:round", args=[annual.pk]))
    assert page.status_code == 200
    cadre = actions.first().cadre  # type: ignore[union-attr]
    page = _client("organisation").get(reverse("appraisal:cadre", args=[cadre.pk]))
    assert page.status_code == 200 and str(last.year) in page.content.decode()


def test_an_appeal_is_upheld_with_its_numbered_amendment_and_another_rejected(
    demo: Any,
) -> None:
    annual = Round.objects.get(scheme__year=TODAY.year - 1, kind="annual")
    appeals = Appeal.objects.filter(round=annual)
    upheld, rejected = appeals.get(status="upheld"), appeals.get(status="rejected")
    assert upheld.unit.code == rejected.unit.code == "T01"
    assert upheld.evidence and Path(upheld.evidence.path).is_file()
    amendment = ResultAmendment.objects.get(round=annual)
    assert (amendment.number, amendment.appeal_id) == (1, upheld.pk)
    assert [c["unit"] for c in amendment.changes] == [upheld.unit_id]
    assert annual.results.get(unit=upheld.unit).amended
    # The corrected value is the value in force, and the round was made final after it.
    corrected = ProgressReport.objects.get(
        unit=upheld.unit,
        indicator_id=amendment.correction["indicator"],
        period__scheme=annual.scheme,
    )
    assert float(corrected.value) == pytest.approx(amendment.correction["value"])  # type: ignore[arg-type]
    assert not rejected.amendments.exists() and rejected.resolution
    page = _client("unit").get(reverse("appraisal:round", args=[annual.pk])).content.decode()
    assert upheld.resolution in page and rejected.resolution in page
    page = _client("office").get(reverse("appraisal:round", args=[annual.pk])).content.decode()
    assert 'data-testid="amendments"' in page


def test_bulletins_of_the_year_are_issued_and_match_their_history(demo: Any) -> None:
    bulletins = list(Bulletin.objects.filter(county=demo.county).select_related("period"))
    assert {b.kind for b in bulletins} == {"monthly", "quarterly", "semiannual"}
    for b in bulletins:
        assert b.period.scheme.year == TODAY.year
        assert b.number == 1 and b.document_number.endswith("〔2026〕1号")
        assert bulletin_intact(b) and bulletin_matches_history(b)
        assert b.issued_at.date() > b.period.end
    page = _client("unit").get(reverse("dashboard:bulletins")).content.decode()
    assert all(b.document_number in page for b in bulletins)


def test_every_stage_is_audited_and_the_chain_verifies(demo: Any) -> None:
    for action in (
        "scheme.copy",
        "scheme.published",
        "scheme.closed",
        "round.finalise",
        "appeal.file",
        "appeal.resolve",
        "awards.apply",
        "cadre_action.record",
        "bulletin.issue",
        "notice.escalate",
        "rectification.accept",
        "rectification.return",
        "problem.raise",
        "demo.closed_year",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action
    assert audit_verify() == []
