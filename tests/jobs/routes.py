"""Rows of the route table in tests/test_access_routes.py (same format) for the job pages."""

from __future__ import annotations

from typing import Any

from tests.factories import World

ALL = frozenset(
    {"office", "assessor", "unit", "leader", "supervisor", "organisation"}
    | {"sysadmin", "secadmin", "auditadmin"}
)


def _job(w: World) -> list[int]:
    """A finished job of the office's, with a file and a next step (made once per world)."""
    if not hasattr(w, "job"):
        from kaohe.jobs.services import job_start
        from tests.jobs.test_jobs import _upload  # registers the test kinds

        w.job = job_start(  # type: ignore[attr-defined]
            user=w.user("office"), kind="test.count", label="C", upload=_upload("a")
        )
    return [w.job.pk]  # type: ignore[attr-defined]


ROUTES: dict[str, Any] = {
    "jobs:list": (lambda w: [], "get", ALL, 200),
    "jobs:job": (_job, "get", ALL, 200),
    "jobs:status": (_job, "get", ALL, 200),
    "jobs:file": (_job, "get", ALL, 200),
    "jobs:next": (_job, "post", ALL, 302),
}
# Another user's job is not found: nobody learns that it exists.
OWNED_BY: dict[str, str] = {
    "jobs:job": "office",
    "jobs:status": "office",
    "jobs:file": "office",
    "jobs:next": "office",
}
