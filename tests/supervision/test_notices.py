"""Drafting from warnings, numbering, escalation with a controlled clock, the PDF."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.supervision import services
from kaohe.supervision.models import Notice, NoticeCounter, SupervisionSettings
from tests.factories import UnitFactory, World
from tests.pdf import pdf_text
from tests.supervision import helpers as h

TODAY = h.TODAY


def test_a_reminder_is_drafted_for_orange_and_red_only(world: World) -> None:
    h.office(world)
    third = UnitFactory(county=world.county, code="T03", name="丙镇")
    fourth = UnitFactory(county=world.county, code="T04", name="丁镇")
    h.warning(world, 3, unit=world.town)  # red
    h.warning(world, 2, unit=world.other_town)  # orange
    h.warning(world, 1, unit=third)  # yellow
    h.warning(world, 0, unit=fourth)  # green
    made = services.notices_draft_from_warnings(county=world.county, today=TODAY)
    assert {n.recipient.code for n in made} == {"T01", "T02"}
    notice = next(n for n in made if n.recipient_id == world.town.pk)
    assert (notice.kind, notice.status, notice.number) == ("reminder", "draft", "")
    assert list(notice.indicators.all()) == [world.leaf]
    assert notice.deadline == TODAY + dt.timedelta(days=15)
    assert notice.issuer.code == "S03"
    # Idempotent: a second run drafts nothing while those notices are open.
    assert services.notices_draft_from_warnings(county=world.county, today=TODAY) == []
    assert Notice.objects.count() == 2


def test_only_the_latest_warning_counts(world: World) -> None:
    h.office(world)
    h.warning(world, 3, as_of=dt.date(2026, 4, 30))
    h.warning(world, 0, as_of=dt.date(2026, 5, 31))  # back to green
    assert services.notices_draft_from_warnings(county=world.county, today=TODAY) == []


def test_auto_issue_is_a_county_setting(world: World) -> None:
    h.office(world)
    SupervisionSettings.objects.create(county=world.county, auto_issue=True)
    h.warning(world, 3)
    (notice,) = services.notices_draft_from_warnings(county=world.county, today=TODAY)
    assert notice.status == "issued"
    assert notice.number == "示绩提〔2026〕1号"


def test_numbers_are_official_gap_free_and_per_kind_and_year(world: World) -> None:
    world.county.short_name = "保"
    world.county.save()
    office = world.user("office")
    first = h.issued(world)
    second = h.issued(world, unit=world.other_town)
    assert (first.number, second.number) == ("保绩提〔2026〕1号", "保绩提〔2026〕2号")
    order = services.notice_escalate(user=office, notice=first, today=TODAY)
    assert order.number == "保绩督〔2026〕1号"
    talk = services.notice_escalate(user=office, notice=order, today=TODAY)
    assert talk.number == "保绩谈〔2026〕1号"
    # A failed issue (a deadline in the past) takes no number: the next one is still 3.
    third_draft = h.draft(
        world,
        unit=UnitFactory(county=world.county, code="T05"),
    )
    with pytest.raises(ValidationError):
        services.notice_issue(
            user=office, notice=third_draft, today=TODAY, deadline=TODAY - dt.timedelta(days=1)
        )
    third = services.notice_issue(user=office, notice=third_draft, today=TODAY)
    assert third.number == "保绩提〔2026〕3号"
    # A new year starts again at 1.
    next_year = services.notice_create(
        user=office,
        county=world.county,
        kind="reminder",
        issuer=h.office(world),
        recipient=world.town,
        indicators=[world.leaf],
        title="t",
        situation="",
        required_actions="a",
        deadline=dt.date(2027, 1, 20),
    )
    assert services.notice_issue(
        user=office, notice=next_year, today=dt.date(2027, 1, 5)
    ).number == ("保绩提〔2027〕1号")
    assert NoticeCounter.objects.get(county=world.county, kind="reminder", year=2026).last == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers() -> None:
    from tests.factories import build_world

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    world = build_world()
    drafts = [h.draft(world)] + [
        h.draft(world, unit=UnitFactory(county=world.county, code=f"T1{n}")) for n in range(5)
    ]
    errors: list[BaseException] = []

    def issue(notice: Notice) -> None:
        try:
            services.notice_issue(user=world.user("office"), notice=notice, today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    seqs = sorted(Notice.objects.exclude(seq=None).values_list("seq", flat=True))
    assert seqs == list(range(1, len(drafts) + 1))


def test_escalation_follows_the_deadline_on_a_controlled_clock(world: World) -> None:
    notice = h.issued(world)
    deadline = notice.deadline
    # On the deadline nothing happens.
    assert services.notices_escalate_overdue(county=world.county, today=deadline) == []
    # The day after, the reminder becomes a supervision order, once.
    (order,) = services.notices_escalate_overdue(
        county=world.county, today=deadline + dt.timedelta(days=1)
    )
    assert (
        services.notices_escalate_overdue(
            county=world.county, today=deadline + dt.timedelta(days=1)
        )
        == []
    )
    notice.refresh_from_db()
    assert notice.status == "escalated"
    assert (order.kind, order.status, order.parent_id) == ("order", "issued", notice.pk)
    assert order.deadline == deadline + dt.timedelta(days=11)
    assert list(order.indicators.all()) == [world.leaf]
    # Past the order's deadline, an admonition talk; past the talk's, nothing further.
    (talk,) = services.notices_escalate_overdue(
        county=world.county, today=order.deadline + dt.timedelta(days=1)
    )
    assert (talk.kind, talk.parent_id) == ("talk", order.pk)
    assert (
        services.notices_escalate_overdue(
            county=world.county, today=talk.deadline + dt.timedelta(days=30)
        )
        == []
    )
    assert Notice.objects.count() == 3
    # The escalated notice's loop is carried by the child: no new reminder is drafted.
    assert services.notices_draft_from_warnings(county=world.county, today=TODAY) == []


def test_an_accepted_or_pending_rectification_stops_escalation(world: World) -> None:
    rect = h.rectified(world)
    later = rect.notice.deadline + dt.timedelta(days=5)
    assert services.notices_escalate_overdue(county=world.county, today=later) == []
    services.rectification_decide(
        user=world.user("office"), rectification=rect, accept=True, reason="", today=TODAY
    )
    assert services.notices_escalate_overdue(county=world.county, today=later) == []
    rect.notice.refresh_from_db()
    assert rect.notice.status == "accepted"


def test_a_returned_rectification_past_the_deadline_escalates(world: World) -> None:
    rect = h.rectified(world)
    services.rectification_decide(
        user=world.user("office"),
        rectification=rect,
        accept=False,
        reason="措施不具体",
        today=TODAY,
    )
    later = rect.notice.deadline + dt.timedelta(days=1)
    (order,) = services.notices_escalate_overdue(county=world.county, today=later)
    assert order.kind == "order"


def test_only_issuers_issue_escalate_and_withdraw(world: World) -> None:
    notice = h.draft(world)
    for role in ["unit", "assessor", "leader", "organisation"]:
        with pytest.raises(PermissionDenied):
            services.notice_issue(user=world.user(role), notice=notice, today=TODAY)
    services.notice_issue(user=world.user("supervisor"), notice=notice, today=TODAY)
    with pytest.raises(ValidationError):
        services.notice_issue(user=world.user("office"), notice=notice, today=TODAY)
    with pytest.raises(ValidationError):
        services.notice_withdraw(user=world.user("office"), notice=notice, today=TODAY, reason="")
    services.notice_withdraw(user=world.user("office"), notice=notice, today=TODAY, reason="误发")
    notice.refresh_from_db()
    assert notice.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.notice_escalate(user=world.user("office"), notice=notice, today=TODAY)


def test_the_notice_prints_as_an_official_document(world: World) -> None:
    world.county.short_name = "保"
    world.county.save()
    notice = h.issued(world)
    client = Client()
    client.force_login(world.user("unit"))
    response = client.get(reverse("supervision:notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "").replace("\n", "")
    for expected in [
        "县绩效办",
        "保绩提〔2026〕1号",
        notice.title.replace(" ", ""),
        "甲镇",
        "2026年6月16日",
    ]:
        assert expected in text, expected
    draft = h.draft(world, unit=world.other_town)
    client.force_login(world.user("office"))
    assert client.get(reverse("supervision:notice_pdf", args=[draft.pk])).status_code == 404


def test_every_step_is_audited(world: World) -> None:
    rect = h.rectified(world)
    services.rectification_decide(
        user=world.user("office"), rectification=rect, accept=True, reason="", today=TODAY
    )
    actions = list(
        AuditEvent.objects.filter(object_type="notice", object_id=str(rect.notice_id))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "notice.draft",
        "notice.issue",
        "rectification.submit",
        "rectification.accept",
    ]


def test_units_see_their_own_issued_notices_only(world: World) -> None:
    mine = h.issued(world)
    theirs = h.issued(world, unit=world.other_town)
    draft_of_mine = h.draft(
        world,
        unit=UnitFactory(county=world.county, code="T07"),
    )
    client = Client()
    client.force_login(world.user("unit"))
    page = client.get(reverse("supervision:notices")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(reverse("supervision:notice", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("supervision:notice", args=[draft_of_mine.pk])).status_code == 404
    client.force_login(world.user("leader"))
    page = client.get(reverse("supervision:notice", args=[mine.pk])).content.decode()
    assert mine.number in page and 'data-testid="issue"' not in page and "accept" not in page
