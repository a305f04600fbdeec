"""The inbox and e-mail: returned reports and deadlines reach the unit, once each."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from django.urls import reverse

from kaohe.org.models import Notification
from kaohe.reporting.calendar import deadline_reminders
from kaohe.reporting.models import Period
from kaohe.reporting.services import report_return, report_submit
from tests.factories import World


def test_a_returned_report_reaches_the_units_inbox_and_mail(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    unit_user = world.user("unit")
    unit_user.email = "clerk@qianling.example"
    unit_user.save()
    report = report_submit(
        user=unit_user, target=world.target, period=world.months[9], value="1", note=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            user=world.user("assessor"), report=report, version=report.version, reason="缺少佐证"
        )
    note = Notification.objects.get(user=unit_user)
    assert note.kind == "report.returned" and note.body == "缺少佐证"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["clerk@qianling.example"]
    client = Client()
    client.force_login(unit_user)
    page = client.get(reverse("org:inbox"))
    assert "缺少佐证" in page.content.decode() and page.context["unread"] == 1
    opened = client.post(reverse("org:inbox_read", args=[note.pk]))
    assert opened.status_code == 302 and opened.url == f"/reports/{report.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_deadline_reminders_go_once_to_units_missing_reports(world: World) -> None:
    period = world.months[9]
    Period.objects.filter(pk=period.pk).update(
        due=dt.date(2026, 11, 5), review_due=dt.date(2026, 11, 15)
    )
    # Every other period is long closed, so only this one can remind.
    Period.objects.exclude(pk=period.pk).update(
        review_due=dt.date(2000, 1, 1), due=dt.date(2000, 1, 1)
    )
    # Approaching: two days before the deadline, both towns have nothing submitted.
    assert deadline_reminders(today=dt.date(2026, 11, 3)) == 1  # only the town with a unit user
    assert deadline_reminders(today=dt.date(2026, 11, 4)) == 0  # re-running sends nothing twice
    report_submit(user=world.user("unit"), target=world.target, period=period, value="1", note="")
    # Missed: after the deadline, only units still missing a report are reminded.
    assert deadline_reminders(today=dt.date(2026, 11, 8)) == 0
    kinds = list(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["deadline.approaching"]
    # Past the review deadline the period is locked: no more reminders.
    Period.objects.filter(pk=period.pk).update(review_due=dt.date(2026, 11, 7))
    assert deadline_reminders(today=dt.date(2026, 11, 8)) == 0
