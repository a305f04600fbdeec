"""Every workflow transition tried by every role: exactly the table's role may make it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.org.models import Role
from kaohe.reporting.models import ProgressReport
from kaohe.reporting.services import (
    report_approve,
    report_confirm,
    report_reopen,
    report_return,
    report_submit,
)
from tests.factories import World


def _submitted(w: World) -> ProgressReport:
    return report_submit(
        user=w.user("unit"), target=w.target, period=w.months[9], value="900", note=""
    )


def _approved(w: World) -> ProgressReport:
    r = _submitted(w)
    return report_approve(user=w.user("assessor"), report=r, version=r.version)


def _confirmed(w: World) -> ProgressReport:
    r = _approved(w)
    return report_confirm(user=w.user("office"), report=r, version=r.version)


def _returned(w: World) -> ProgressReport:
    r = _submitted(w)
    return report_return(user=w.user("assessor"), report=r, version=r.version, reason="补充")


# transition -> (the state it starts from, the move, the role allowed, the status it leads to)
MOVES: dict[str, tuple[Callable[[World], Any], Callable[[World, Any, Any], Any], str, str]] = {
    "submit": (
        lambda w: None,
        lambda w, u, r: report_submit(
            user=u, target=w.target, period=w.months[9], value="1", note=""
        ),
        "unit",
        "submitted",
    ),
    "resubmit after return": (
        _returned,
        lambda w, u, r: report_submit(
            user=u, target=w.target, period=w.months[9], value="2", note=""
        ),
        "unit",
        "submitted",
    ),
    "approve": (
        _submitted,
        lambda w, u, r: report_approve(user=u, report=r, version=r.version),
        "assessor",
        "approved",
    ),
    "return": (
        _submitted,
        lambda w, u, r: report_return(user=u, report=r, version=r.version, reason="x"),
        "assessor",
        "returned",
    ),
    "confirm": (
        _approved,
        lambda w, u, r: report_confirm(user=u, report=r, version=r.version),
        "office",
        "confirmed",
    ),
    "reopen": (
        _confirmed,
        lambda w, u, r: report_reopen(user=u, report=r, version=r.version, reason="x"),
        "office",
        "returned",
    ),
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("move", sorted(MOVES))
def test_only_the_tables_role_makes_each_transition(world: World, move: str, role: str) -> None:
    start, act, allowed, result = MOVES[move]
    report = start(world)
    before = report.status if report is not None else None
    if role == allowed:
        assert act(world, world.user(role), report).status == result
        return
    with pytest.raises(PermissionDenied):
        act(world, world.user(role), report)
    if report is None:
        assert not ProgressReport.objects.exists()
    else:
        report.refresh_from_db()
        assert report.status == before
