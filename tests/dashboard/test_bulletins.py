"""Bulletins: content as of a period from stored history, issuing, numbering, reproducibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.dashboard import bulletins
from kaohe.dashboard.bulletins import (
    bulletin_compose,
    bulletin_intact,
    bulletin_issue,
    bulletin_matches_history,
    content_hash,
    draft_content,
    scores_as_of,
)
from kaohe.dashboard.models import Bulletin
from kaohe.org.models import User
from kaohe.reporting.models import Period, ProgressReport, Target
from kaohe.reporting.services import report_approve, report_reopen, report_submit
from kaohe.results.selectors import indicator_score
from tests.factories import UserFactory, World, build_world

DEC_2 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def approve(world: World, user: User, target: Target, month: int, value: str) -> ProgressReport:
    report = report_submit(
        user=user, target=target, period=world.months[month - 1], value=value, note=""
    )
    return report_approve(user=world.user("assessor"), report=report, version=report.version)


@pytest.fixture
def history(world: World, django_capture_on_commit_callbacks: Any) -> World:
    """甲镇 red in September, orange in October; 乙镇 yellow in September, green in October.

    Linear schedule of a 1200 target: 74.8% due by 30 September, 83.3% by 31 October.
    """
    other = UserFactory(county=world.county, role="unit", unit=world.other_town)
    world.other_user = other  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        approve(world, world.user("unit"), world.target, 9, "500")  # 41.7%: red
        approve(world, other, world.other_target, 9, "850")  # 70.8%: yellow
        approve(world, world.user("unit"), world.target, 10, "900")  # 75.0%: orange
        approve(world, other, world.other_target, 10, "1000")  # 83.3%: green
    return world


def october(world: World) -> Period:
    return world.months[9]


def test_a_months_bulletin_counts_the_colours_as_they_stood_at_its_end(history: World) -> None:
    c = bulletin_compose(period=october(history), number="N", issued_on=dt.date(2026, 12, 2))
    assert c["title"] == "关于2026年10月份绩效考核指标月调度情况的通报"
    assert c["issuer"] == "示范县绩效考核办公室"
    assert c["issued_on"] == "2026年12月2日"
    assert c["counts"] == {"-1": 0, "0": 1, "1": 0, "2": 1, "3": 0}
    assert c["previous_counts"] == {"-1": 0, "0": 0, "1": 1, "2": 0, "3": 1}
    assert "绿色1项、黄色0项、橙色1项、红色0项" in c["paragraphs"]["overall"]
    assert "红色预警减少1项" in c["paragraphs"]["overall"]
    [lag] = c["lagging"]
    assert (lag["unit"], lag["completion"], lag["schedule"], lag["level"]) == (
        "甲镇",
        "75.0%",
        "83.3%",
        2,
    )
    assert lag["value"] == "900万元" and lag["target"] == "1200万元"
    improved = {(r["unit"], r["before"], r["after"]) for r in c["improved"]}
    assert improved == {("甲镇", 3, 2), ("乙镇", 1, 0)}
    rows = [(s["unit"], s["score"], s["rank"], s["orange"]) for s in c["standings"]]
    assert rows == [("乙镇", "8.33", 1, 0), ("甲镇", "7.50", 2, 1)]


def test_the_first_month_has_nothing_to_compare_with(history: World) -> None:
    c = bulletin_compose(period=history.months[0], number="N", issued_on=dt.date(2026, 12, 2))
    assert c["previous_counts"] is None and c["improved"] == []
    assert c["paragraphs"]["improved"] == "本期为本年度首期，不作环比。"


def test_a_past_month_keeps_its_values_after_later_approvals(
    history: World, django_capture_on_commit_callbacks: Any
) -> None:
    before = draft_content(period=october(history), today=dt.date(2026, 12, 2))
    with django_capture_on_commit_callbacks(execute=True):
        approve(history, history.user("unit"), history.target, 11, "1200")
        approve(history, history.other_user, history.other_target, 11, "1100")  # type: ignore[attr-defined]
    after = draft_content(period=october(history), today=dt.date(2026, 12, 2))
    assert content_hash(after) == content_hash(before)
    assert [s["score"] for s in after["standings"]] == ["8.33", "7.50"]
    november = draft_content(period=history.months[10], today=dt.date(2026, 12, 2))
    assert [(s["unit"], s["score"]) for s in november["standings"]] == [
        ("甲镇", "10.00"),
        ("乙镇", "9.17"),
    ]


def test_the_scores_are_the_results_scores_of_the_same_values(history: World) -> None:
    standings = {
        s.unit.pk: s for s in scores_as_of(scheme=history.scheme, as_of=dt.date(2026, 10, 31))
    }
    for unit in (history.town, history.other_town):
        expected = indicator_score(unit=unit, indicator=history.leaf)
        assert expected is not None
        assert standings[unit.pk].score == expected.score
        assert standings[unit.pk].points == Decimal("10")


def test_issuing_freezes_the_number_and_the_content_hash(
    history: World, django_capture_on_commit_callbacks: Any
) -> None:
    bulletin = bulletin_issue(user=history.user("office"), period=october(history), now=DEC_2)
    assert bulletin.document_number == "示绩通〔2026〕1号"
    assert bulletin.content["number"] == "示绩通〔2026〕1号"
    assert bulletin.content["issued_on"] == "2026年12月2日"
    event = AuditEvent.objects.get(action="bulletin.issue")
    assert event.after["content_hash"] == bulletin.content_hash
    assert event.after["number"] == "示绩通〔2026〕1号"

    with django_capture_on_commit_callbacks(execute=True):
        approve(history, history.user("unit"), history.target, 11, "1200")
    stored = Bulletin.objects.get(pk=bulletin.pk)
    assert bulletin_intact(stored)
    assert content_hash(stored.content) == bulletin.content_hash
    assert bulletin_matches_history(stored), "a later month's approval changes no past bulletin"


def test_a_reopened_report_changes_history_but_never_the_issued_bulletin(history: World) -> None:
    bulletin = bulletin_issue(user=history.user("office"), period=october(history), now=DEC_2)
    report = ProgressReport.objects.get(unit=history.town, period=october(history))
    report_reopen(
        user=history.user("office"), report=report, version=report.version, reason="数据有误"
    )
    stored = Bulletin.objects.get(pk=bulletin.pk)
    assert not bulletin_matches_history(stored)
    assert bulletin_intact(stored)
    assert [s["score"] for s in stored.content["standings"]] == ["8.33", "7.50"]


def test_tampering_with_the_stored_content_shows(history: World) -> None:
    bulletin = bulletin_issue(user=history.user("office"), period=october(history), now=DEC_2)
    content = dict(bulletin.content, title="篡改")
    Bulletin.objects.filter(pk=bulletin.pk).update(content=content)
    assert not bulletin_intact(Bulletin.objects.get(pk=bulletin.pk))


def test_numbers_are_gap_free_per_kind_and_year(world: World, monkeypatch: Any) -> None:
    office = world.user("office")
    numbers = [
        bulletin_issue(user=office, period=world.months[m], now=DEC_2).number for m in (0, 1, 2)
    ]
    assert numbers == [1, 2, 3]
    q1 = Period.objects.get(scheme=world.scheme, kind="quarter", number=1)
    assert bulletin_issue(user=office, period=q1, now=DEC_2).document_number == "示绩评〔2026〕1号"

    with pytest.raises(ValidationError):  # a period has one bulletin
        bulletin_issue(user=office, period=world.months[1], now=DEC_2)
    with pytest.raises(ValidationError):  # December has not ended on 2 December
        bulletin_issue(user=office, period=world.months[11], now=DEC_2)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(bulletins, "audit_record", broken)
    with pytest.raises(RuntimeError):
        bulletin_issue(user=office, period=world.months[3], now=DEC_2)
    monkeypatch.undo()
    assert not Bulletin.objects.filter(period=world.months[3]).exists()
    assert bulletin_issue(user=office, period=world.months[3], now=DEC_2).number == 4

    next_year = dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)
    december = bulletin_issue(user=office, period=world.months[11], now=next_year)
    assert (december.year, december.number, december.document_number) == (
        2027,
        1,
        "示绩通〔2027〕1号",
    )
    kinds = Bulletin.objects.filter(kind="monthly", year=2026).order_by("number")
    assert list(kinds.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_only_the_office_of_the_county_issues(world: World) -> None:
    for role in ("leader", "supervisor", "unit", "assessor", "organisation"):
        with pytest.raises(PermissionDenied):
            bulletin_issue(user=world.user(role), period=world.months[0], now=DEC_2)
    elsewhere = build_world(code="900002")
    with pytest.raises(PermissionDenied):
        bulletin_issue(user=elsewhere.user("office"), period=world.months[0], now=DEC_2)
    assert not Bulletin.objects.exists()


def test_each_kind_has_its_title_and_the_annual_one_its_ranking(
    history: World, monkeypatch: Any
) -> None:
    periods = {
        kind: Period.objects.get(scheme=history.scheme, kind=kind, number=number)
        for kind, number in (("quarter", 3), ("half", 1), ("year", 1))
    }
    day = dt.date(2027, 1, 20)
    q3 = bulletin_compose(period=periods["quarter"], number="N", issued_on=day)
    assert q3["title"] == "关于2026年第三季度绩效考评情况的通报"
    assert q3["kind"] == "quarterly"
    h1 = bulletin_compose(period=periods["half"], number="N", issued_on=day)
    assert h1["title"] == "关于2026年上半年绩效考核工作总结情况的通报"
    calls: list[dt.date] = []
    real = bulletins.annual_standings

    def spy(*, scheme: Any, as_of: dt.date) -> Any:
        calls.append(as_of)
        return real(scheme=scheme, as_of=as_of)

    monkeypatch.setattr(bulletins, "annual_standings", spy)
    year = bulletin_compose(period=periods["year"], number="N", issued_on=day)
    assert year["title"] == "关于2026年度绩效考核结果的通报"
    assert calls == [dt.date(2026, 12, 31)], "the annual bulletin ranks by annual_standings"
    assert any("年度考核等次" in p for p in year["paragraphs"]["requirements"])
