"""The request id of the current request, for audit events written while serving it."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("kaohe_request_id", default="")
