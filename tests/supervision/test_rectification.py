"""The rectification loop for every role: who submits, who accepts or returns, who sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaohe.org.models import Notification
from kaohe.supervision import services
from kaohe.supervision.models import Rectification
from tests.factories import UserFactory, World
from tests.supervision import helpers as h

TODAY = h.TODAY
ROLES = ["office", "assessor", "unit", "leader", "supervisor", "organisation"]


def test_only_the_recipient_unit_submits(world: World) -> None:
    notice = h.issued(world)
    for role in ["office", "assessor", "leader", "supervisor", "organisation"]:
        with pytest.raises(PermissionDenied):
            services.rectification_submit(
                user=world.user(role), notice=notice, plan="p", actions="a"
            )
    stranger = UserFactory(county=world.county, role="unit", unit=world.other_town)
    with pytest.raises(PermissionDenied):
        services.rectification_submit(user=stranger, notice=notice, plan="p", actions="a")
    with pytest.raises(ValidationError) as err:
        services.rectification_submit(user=world.user("unit"), notice=notice, plan=" ", actions="")
    assert set(err.value.message_dict) == {"plan", "actions"}
    rect = services.rectification_submit(
        user=world.user("unit"), notice=notice, plan="p", actions="a", files=[h.pdf_file()]
    )
    notice.refresh_from_db()
    assert notice.status == "rectifying"
    assert rect.evidence.get().content_type == "application/pdf"
    # While it awaits a decision, a second answer is refused.
    with pytest.raises(ValidationError):
        services.rectification_submit(user=world.user("unit"), notice=notice, plan="p", actions="a")


def test_a_draft_cannot_be_answered(world: World) -> None:
    notice = h.draft(world)
    with pytest.raises(ValidationError):
        services.rectification_submit(user=world.user("unit"), notice=notice, plan="p", actions="a")


def test_evidence_is_checked_on_content_with_a_clear_error(world: World) -> None:
    notice = h.issued(world)
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as err:
        services.rectification_submit(
            user=world.user("unit"), notice=notice, plan="p", actions="a", files=[fake]
        )
    assert "报告.pdf" in err.value.message_dict["files"][0]
    assert not Rectification.objects.exists()
    notice.refresh_from_db()
    assert notice.status == "issued"


@pytest.mark.parametrize("role", ["office", "supervisor"])
def test_issuers_accept_or_return(world: World, role: str) -> None:
    rect = h.rectified(world)
    with pytest.raises(ValidationError):
        services.rectification_decide(
            user=world.user(role), rectification=rect, accept=False, reason=" ", today=TODAY
        )
    services.rectification_decide(
        user=world.user(role), rectification=rect, accept=False, reason="缺少佐证", today=TODAY
    )
    rect.notice.refresh_from_db()
    assert rect.notice.status == "returned"
    assert Notification.objects.filter(
        user=world.user("unit"), kind="rectification.returned"
    ).exists()
    again = services.rectification_submit(
        user=world.user("unit"), notice=rect.notice, plan="p2", actions="a2"
    )
    services.rectification_decide(
        user=world.user(role), rectification=again, accept=True, reason="", today=TODAY
    )
    rect.notice.refresh_from_db()
    assert (rect.notice.status, rect.notice.closed_on) == ("accepted", TODAY)
    with pytest.raises(ValidationError):
        services.rectification_decide(
            user=world.user(role), rectification=again, accept=False, reason="x", today=TODAY
        )


@pytest.mark.parametrize("role", ["unit", "assessor", "leader", "organisation"])
def test_others_may_not_decide(world: World, role: str) -> None:
    rect = h.rectified(world)
    with pytest.raises(PermissionDenied):
        services.rectification_decide(
            user=world.user(role), rectification=rect, accept=True, reason="", today=TODAY
        )


def test_the_pages_walk_the_loop(world: World) -> None:
    notice = h.issued(world)
    unit = Client()
    unit.force_login(world.user("unit"))
    page = unit.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert 'data-testid="rectify"' in page
    url = reverse("supervision:notice_rectify", args=[notice.pk])
    response = unit.post(url, {"plan": "计划", "actions": "措施", "files": [h.pdf_file()]})
    assert response.status_code == 302
    rect = Rectification.objects.get()
    office = Client()
    office.force_login(world.user("office"))
    page = office.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert 'data-testid="accept"' in page
    decide = reverse("supervision:rectification_decide", args=[rect.pk])
    assert office.post(decide, {"decision": "accept"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "accepted"
    evidence = reverse("supervision:rectification_evidence", args=[rect.evidence.get().pk])
    for role in ROLES:
        client = Client()
        client.force_login(world.user(role))
        assert client.get(evidence).status_code == 200, role


def test_another_unit_gets_404_everywhere(world: World) -> None:
    rect = h.rectified(world)
    stranger = UserFactory(county=world.county, role="unit", unit=world.other_town)
    client = Client()
    client.force_login(stranger)
    pk = rect.notice_id
    for name in ["supervision:notice", "supervision:notice_pdf", "supervision:notice_rectify"]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("supervision:notice_rectify", args=[pk]), {}).status_code == 404
    ev = reverse("supervision:rectification_evidence", args=[rect.evidence.get().pk])
    assert client.get(ev).status_code == 404


def test_another_county_gets_404(world: World) -> None:
    from tests.factories import build_world

    rect = h.rectified(world)
    elsewhere = build_world(code="900009")
    client = Client()
    client.force_login(elsewhere.user("office"))
    assert client.get(reverse("supervision:notice", args=[rect.notice_id])).status_code == 404
    decide = reverse("supervision:rectification_decide", args=[rect.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    rect.notice.refresh_from_db()
    assert rect.notice.status == "rectifying"


def test_loop_counts_per_unit_and_office(world: World) -> None:
    from kaohe.supervision.selectors import loops

    accepted = h.rectified(world)
    services.rectification_decide(
        user=world.user("office"), rectification=accepted, accept=True, reason="", today=TODAY
    )
    overdue = h.issued(world, unit=world.other_town)
    after = overdue.deadline + dt.timedelta(days=1)
    rows = {r.unit.code: r for r in loops(world.county, after, "recipient_id")}
    assert (rows["T01"].open, rows["T01"].overdue, rows["T01"].closed) == (0, 0, 1)
    assert (rows["T02"].open, rows["T02"].overdue, rows["T02"].closed) == (1, 1, 0)
    (office,) = loops(world.county, after, "issuer_id")
    assert (office.unit.code, office.open, office.overdue, office.closed) == ("S03", 1, 1, 1)
    client = Client()
    client.force_login(world.user("leader"))
    page = client.get(reverse("supervision:loops")).content.decode()
    assert "甲镇" in page and "县绩效办" in page
    client.force_login(world.user("unit"))
    assert client.get(reverse("supervision:loops")).status_code == 403
