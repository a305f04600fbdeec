"""Deadline reminders per county (a county's weekly cadence job) and for all (the command)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from kaohe.org.models import Notification
from kaohe.reporting.calendar import deadline_reminders
from kaohe.reporting.models import Period
from tests.factories import World, build_world

# June's monthly reports are due on 5 July: two days to go.
JULY_3 = dt.date(2026, 7, 3)


def _only_june_open() -> None:
    Period.objects.exclude(kind="month", number=6).update(
        due=dt.date(2000, 1, 1), review_due=dt.date(2000, 1, 1)
    )


def test_reminders_for_one_county_reach_only_its_units(world: World) -> None:
    other = build_world(code="900002")
    _only_june_open()
    assert deadline_reminders(today=JULY_3, county=world.county) == 1
    assert list(Notification.objects.values_list("user__county__code", "kind")) == [
        ("900001", "deadline.approaching")
    ]
    assert deadline_reminders(today=JULY_3, county=other.county) == 1
    assert Notification.objects.filter(user=other.user("unit")).count() == 1


def test_without_a_county_every_county_is_reminded(world: World) -> None:
    other = build_world(code="900002")
    _only_june_open()
    assert deadline_reminders(today=JULY_3) == 2
    assert {n.user.county_id for n in Notification.objects.select_related("user")} == {
        world.county.pk,
        other.county.pk,
    }


def test_the_command_covers_every_county(world: World, monkeypatch: Any) -> None:
    other = build_world(code="900002")
    _only_june_open()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: JULY_3)
    out = StringIO()
    call_command("deadline_reminders", stdout=out)
    assert "2 reminder(s) sent" in out.getvalue()
    assert Notification.objects.filter(user=other.user("unit")).exists()
    assert Notification.objects.filter(user=world.user("unit")).exists()


def test_a_reminder_gives_its_date_as_chinese_readers_write_it(world: World) -> None:
    _only_june_open()
    deadline_reminders(today=JULY_3, county=world.county)
    title = Notification.objects.get().title
    assert "2026年7月5日" in title and "2026-07-05" not in title
