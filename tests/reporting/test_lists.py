"""The task, measures and responsibility lists: the unit's until the deadline, then the office's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.reporting.models import TargetLists
from kaohe.reporting.plans import target_lists_save
from kaohe.schemes.models import Scheme
from tests.factories import World

TASKS = [{"title": "完成3个项目签约", "deadline": "2026-06-30", "milestone": "上半年签约"}]


def _save(world: World, role: str = "unit", **kwargs: object) -> TargetLists:
    params: dict[str, object] = {
        "tasks": TASKS,
        "measures": ["召开招商推介会", ""],
        "leader_id": world.leader.pk,
        "person_in_charge": "王科长",
        "contact": "0743-1234567",
    }
    params.update(kwargs)
    return target_lists_save(user=world.user(role), target=world.target, **params)  # type: ignore[arg-type]


def _lock(world: World) -> None:
    Scheme.objects.filter(pk=world.scheme.pk).update(lists_deadline=dt.date(2000, 1, 1))
    world.target.scheme.refresh_from_db()


def test_the_unit_fills_in_its_lists_and_the_write_is_audited(world: World) -> None:
    lists = _save(world)
    assert (
        lists.tasks == TASKS
        and lists.measures == ["召开招商推介会"]
        and lists.leader == world.leader
    )
    assert AuditEvent.objects.filter(action="lists.save", object_id=str(world.target.pk)).exists()


def test_after_the_deadline_only_the_office_changes_them_with_a_reason(world: World) -> None:
    _save(world)
    _lock(world)
    with pytest.raises(ValidationError, match="2000"):
        _save(world, measures=["改了"])
    with pytest.raises(ValidationError):
        _save(world, role="office", measures=["改了"])
    lists = _save(world, role="office", measures=["按州里要求调整"], reason="州考核办通知")
    assert lists.measures == ["按州里要求调整"]
    event = AuditEvent.objects.filter(action="lists.save").order_by("-seq").first()
    assert event is not None and event.after is not None and event.after["reason"] == "州考核办通知"


@pytest.mark.parametrize("role", ["assessor", "leader", "supervisor", "sysadmin"])
def test_other_roles_cannot_change_a_units_lists(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _save(world, role=role)


def test_a_bad_task_deadline_and_a_stale_save_are_refused(world: World) -> None:
    with pytest.raises(ValidationError, match=r"YYYY-MM-DD|年-月-日"):
        _save(world, tasks=[{"title": "x", "deadline": "下个月"}])
    lists = _save(world)
    with pytest.raises(ValidationError):
        _save(world, version=lists.version - 1)


def test_the_lists_page_saves_through_the_form(world: World) -> None:
    client = Client()
    client.force_login(world.user("unit"))
    url = reverse("reporting:lists", args=[world.target.pk])
    response = client.post(
        url,
        {
            "task-0-title": "完成签约",
            "task-0-deadline": "2026-12-31",
            "measures": "措施一\n措施二",
            "leader": world.leader.pk,
            "person_in_charge": "李四",
            "contact": "138",
        },
    )
    assert response.status_code == 302
    lists = TargetLists.objects.get(target=world.target)
    assert lists.measures == ["措施一", "措施二"] and lists.tasks[0]["title"] == "完成签约"
    assert "措施二" in client.get(url).content.decode()
