"""Writing and verifying the audit trail.

`audit_record` is called by every service inside its own transaction, so the event and the
change it describes commit or roll back together. Each event's hash is an HMAC-SHA256 over its
canonical content and the previous event's hash, keyed with a secret kept outside the database
(settings.KAOHE_AUDIT_KEY): someone who can edit the table cannot forge a chain that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kaohe.audit.context import request_id_var
from kaohe.audit.models import AuditEvent, ChainHead

GLOBAL_CHAIN = "_global"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def _jsonable(value: Any) -> Any:
    """The value as it will come back from the JSON column (Decimals and dates as strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.chain,
            event.seq,
            event.created_at.isoformat(),
            event.actor_id,
            event.actor_name,
            event.role,
            event.action,
            event.object_type,
            event.object_id,
            event.before,
            event.after,
            event.request_id,
            event.prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    key = settings.KAOHE_AUDIT_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    county_code: str | None,
    object_type: str = "",
    object_id: Any = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the county's chain. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    chain = county_code or GLOBAL_CHAIN
    head, _created = ChainHead.objects.select_for_update().get_or_create(chain=chain)
    actor_obj = actor if getattr(actor, "pk", None) is not None else None
    event = AuditEvent(
        chain=chain,
        seq=head.last_seq + 1,
        # Microseconds dropped: not every database keeps them, and the hash must survive a
        # round trip through any of them.
        created_at=timezone.now().replace(microsecond=0),
        actor_id=actor_obj.pk if actor_obj else None,
        actor_name=actor_obj.get_username() if actor_obj else str(actor or "system"),
        role=getattr(actor_obj, "role", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=request_id_var.get(),
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class VerifyProblem:
    chain: str
    seq: int
    kind: str  # "changed", "deleted", "inserted", "truncated"
    detail: str


def audit_verify(*, chain: str | None = None) -> list[VerifyProblem]:
    """Walk each chain and report its first broken link (empty list: the trail is intact).

    A row whose content no longer matches its hash was changed; a gap in the sequence, or a
    chain head that points past the last row, means rows were deleted; a row whose link does
    not match its predecessor's hash, or a duplicated sequence number, was inserted.
    """
    heads = {h.chain: h for h in ChainHead.objects.all()}
    chains = set(heads)
    chains.update(AuditEvent.objects.values_list("chain", flat=True).distinct())
    if chain is not None:
        chains &= {chain}
    problems: list[VerifyProblem] = []
    for name in sorted(chains):
        problem = _verify_chain(name, heads.get(name))
        if problem:
            problems.append(problem)
    return problems


def _verify_chain(name: str, head: ChainHead | None) -> VerifyProblem | None:
    expected_seq = 1
    prev_hash = ""
    seen_seq = 0
    for event in AuditEvent.objects.filter(chain=name).order_by("seq", "id").iterator():
        if event.seq < expected_seq:
            return VerifyProblem(name, event.seq, "inserted", "sequence number repeated")
        if event.seq > expected_seq:
            return VerifyProblem(
                name, expected_seq, "deleted", f"events {expected_seq}..{event.seq - 1} missing"
            )
        if not hmac.compare_digest(_digest(event), event.hash):
            return VerifyProblem(name, event.seq, "changed", "content does not match its hash")
        if event.prev_hash != prev_hash:
            return VerifyProblem(name, event.seq, "inserted", "does not link to its predecessor")
        prev_hash = event.hash
        seen_seq = event.seq
        expected_seq += 1
    if head is not None and (head.last_seq != seen_seq or head.last_hash != prev_hash):
        return VerifyProblem(
            name, seen_seq + 1, "deleted", f"chain head expects {head.last_seq} events"
        )
    return None


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, for an event's before/after."""
    out: dict[str, Any] = {}
    for field in fields:
        value = getattr(obj, field)
        out[field] = value.pk if hasattr(value, "pk") else value
    return out
