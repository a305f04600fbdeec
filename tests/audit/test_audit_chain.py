"""The audit trail: every write leaves a chained event, and tampering is found."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_record, audit_verify
from tests.factories import World


def _write_events(world: World, n: int = 4) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=world.user("office"),
                    action="test.write",
                    county_code=world.county.code,
                    object_type="thing",
                    object_id=i,
                    before={"v": i},
                    after={"v": i + 1},
                )
            )
    return events


def _raw(sql: str, params: list[object]) -> None:
    """Go around the application (and, on PostgreSQL, around the trigger) like an intruder."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
            )


def _verify_output() -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_it_links_each_event_to_the_previous_one(world: World) -> None:
    events = _write_events(world)
    chain = list(AuditEvent.objects.filter(chain=world.county.code, action="test.write"))
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert events[-1].request_id == ""
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_event_needs_the_callers_transaction() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", county_code="900001")
    assert not AuditEvent.objects.exists()


def test_verify_catches_an_edited_event(world: World) -> None:
    events = _write_events(world)
    _raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"v": 99}', events[1].pk])
    problems = audit_verify(chain=world.county.code)
    assert [(p.seq, p.kind) for p in problems] == [(events[1].seq, "changed")]
    assert f"event {events[1].seq} changed" in _verify_output()


def test_verify_catches_a_deleted_event(world: World) -> None:
    events = _write_events(world)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    problems = audit_verify(chain=world.county.code)
    assert [(p.seq, p.kind) for p in problems] == [(events[1].seq, "deleted")]
    assert f"event {events[1].seq} deleted" in _verify_output()


def test_verify_catches_a_deleted_last_event(world: World) -> None:
    events = _write_events(world)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    problems = audit_verify(chain=world.county.code)
    assert [(p.seq, p.kind) for p in problems] == [(events[-1].seq, "deleted")]


def test_verify_catches_an_inserted_event(world: World) -> None:
    events = _write_events(world)
    victim = events[2]
    # Shift the later events up by one and slip a forged event into the gap.
    _raw(
        "UPDATE audit_auditevent SET seq = seq + 1000 WHERE chain = %s AND seq >= %s",
        [world.county.code, victim.seq],
    )
    _raw(
        "UPDATE audit_auditevent SET seq = seq - 999 WHERE chain = %s AND seq >= %s",
        [world.county.code, victim.seq + 1000],
    )
    forged = AuditEvent(
        chain=victim.chain,
        seq=victim.seq,
        created_at=victim.created_at,
        actor_name="intruder",
        action="test.write",
        prev_hash=events[1].hash,
        hash="0" * 64,
    )
    forged.save(force_insert=True)
    problems = audit_verify(chain=world.county.code)
    assert len(problems) == 1
    assert problems[0].seq == victim.seq
    assert problems[0].kind in {"changed", "inserted"}


def test_verify_catches_an_event_inserted_with_a_copied_hash(world: World) -> None:
    events = _write_events(world)
    # A copy of a genuine event, appended after the last one, passes its own hash check but
    # does not link to its predecessor.
    last = events[-1]
    copy = AuditEvent(
        chain=last.chain,
        seq=last.seq + 1,
        created_at=events[0].created_at,
        actor_id=events[0].actor_id,
        actor_name=events[0].actor_name,
        role=events[0].role,
        action=events[0].action,
        object_type=events[0].object_type,
        object_id=events[0].object_id,
        before=events[0].before,
        after=events[0].after,
        request_id=events[0].request_id,
        prev_hash=events[0].prev_hash,
        hash=events[0].hash,
    )
    copy.save(force_insert=True)
    problems = audit_verify(chain=world.county.code)
    assert [(p.seq, p.kind) for p in problems] == [(last.seq + 1, "changed")]


@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_on_the_audit_table(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the trigger is PostgreSQL's; this test runs in the PostgreSQL pass of make test"
        )
    events = _write_events(world, 1)
    from django.db import DatabaseError

    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [events[0].pk])
