"""The audit trail: one append-only, hash-chained event per write, per county.

Events keep no foreign keys: an audit row must outlive anything it describes and must never be
touched by a cascade. On PostgreSQL a trigger refuses UPDATE and DELETE on the table
(migration 0002); the HMAC chain lets `kaohe audit verify` find a row changed, removed or
slipped in by someone who went around the trigger.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainHead(models.Model):
    """The last link of one chain, locked while an event is appended so links never fork."""

    chain = models.CharField(_("chain"), max_length=16, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain")

    def __str__(self) -> str:
        return f"{self.chain}@{self.last_seq}"


class AuditEvent(models.Model):
    chain = models.CharField(_("chain"), max_length=16)
    seq = models.PositiveBigIntegerField(_("sequence"))
    created_at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150)
    role = models.CharField(_("role"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seq_per_chain")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"
