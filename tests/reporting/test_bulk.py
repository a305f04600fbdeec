"""Bulk entry by the assessing department: batched writes, one audit event per batch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify
from kaohe.reporting.bulk import EnteredRow, reports_enter_by_assessor
from kaohe.reporting.models import ProgressReport
from tests.factories import World


def _rows(world: World, months: range) -> list[EnteredRow]:
    return [
        EnteredRow(target, world.months[m], str(100 + m), "统计快报")
        for m in months
        for target in (world.target, world.other_target)
    ]


def test_rows_are_written_in_batches_each_with_one_event_naming_its_rows(world: World) -> None:
    saved = reports_enter_by_assessor(
        user=world.user("assessor"), rows=_rows(world, range(5)), batch_size=4
    )
    assert len(saved) == ProgressReport.objects.filter(status="approved").count() == 10
    events = list(AuditEvent.objects.filter(action="report.enter").order_by("seq"))
    assert [e.after["count"] for e in events] == [4, 4, 2]
    named = sorted(r["id"] for e in events for r in e.after["rows"])
    assert named == sorted(ProgressReport.objects.values_list("pk", flat=True))
    assert audit_verify(chain=world.county.code) == []


def test_a_draft_is_updated_in_place_and_its_earlier_value_recorded(world: World) -> None:
    draft = ProgressReport.objects.create(
        county=world.county,
        unit=world.town,
        indicator=world.leaf,
        period=world.months[0],
        value=Decimal("1"),
        status="draft",
    )
    reports_enter_by_assessor(user=world.user("assessor"), rows=_rows(world, range(1)))
    draft.refresh_from_db()
    assert (draft.value, draft.status, draft.version) == (Decimal("100"), "approved", 2)
    (event,) = AuditEvent.objects.filter(action="report.enter")
    row = next(r for r in event.after["rows"] if r["id"] == draft.pk)
    assert row["before"]["value"] == "1.0000"


def test_one_approved_row_in_a_later_batch_writes_nothing_at_all(world: World) -> None:
    ProgressReport.objects.create(
        county=world.county,
        unit=world.other_town,
        indicator=world.leaf,
        period=world.months[4],
        value=Decimal("1"),
        status="approved",
    )
    with pytest.raises(ValidationError) as caught:
        reports_enter_by_assessor(
            user=world.user("assessor"), rows=_rows(world, range(5)), batch_size=2
        )
    assert list(caught.value.message_dict) == ["T02-A01"]
    assert ProgressReport.objects.count() == 1
    assert not AuditEvent.objects.filter(action="report.enter").exists()


@pytest.mark.parametrize("role", ["unit", "office", "leader"])
def test_only_the_indicators_assessing_department_enters(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        reports_enter_by_assessor(user=world.user(role), rows=_rows(world, range(1)))
    assert not ProgressReport.objects.exists()
