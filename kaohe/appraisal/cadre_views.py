"""Results applied: awards by grade, and the organisation department's cadre records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.appraisal import access
from kaohe.appraisal.applications import (
    action_statistics,
    awards_apply,
    cadre_action_record,
    cadre_record,
)
from kaohe.appraisal.models import CadreActionKind, RoundResult, RoundStatus
from kaohe.documents.spreadsheet import table_workbook, xlsx_response
from kaohe.org.access import Permission, county_id_of, has_perm, permission_required
from kaohe.org.models import User
from kaohe.supervision.models import Notice


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def awards(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_get(user, pk)
    try:
        coefficients = {
            code: Decimal(request.POST[f"coef-{k}"])
            for k, (code, _minimum) in enumerate(rnd.rules["grades"])
            if request.POST.get(f"coef-{k}")
        }
        merit = [int(u) for u in request.POST.getlist("merit")]
        made = awards_apply(
            user=user,
            round=rnd,
            coefficients=coefficients,
            merit_units=merit,
            decided_on=timezone.localdate(),
        )
        messages.success(request, _("%(count)d awards recorded.") % {"count": len(made)})
    except (InvalidOperation, ValueError):
        messages.error(request, _("A coefficient is a number such as 1.2."))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("appraisal:round", pk)


@permission_required(Permission.CADRE_VIEW)
def cadres(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    people = access.cadres_visible(user).order_by("unit__code", "code")
    stats = action_statistics(county_id=county_id_of(user), year=year)
    if request.GET.get("format") == "xlsx":
        title = _("Decisions about cadres, %(year)d") % {"year": year}
        rows = [[label, count] for _k, label, count in stats]
        return xlsx_response(
            f"{title}.xlsx", table_workbook(title, [_("Kind of decision"), _("Cadres")], rows)
        )
    return render(
        request,
        "appraisal/cadres.html",
        {"cadres": people, "stats": stats, "year": year},
    )


@permission_required(Permission.CADRE_VIEW)
def cadre(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.cadre_get(user, pk)
    record = cadre_record(person)
    if request.GET.get("format") == "xlsx":
        title = _("Record of achievement: %(name)s") % {"name": person.name}
        rows: list[list[object]] = []
        for a in record.answered:
            rows.append(
                [
                    _("Answered for"),
                    a["year"],
                    a["indicator"].name,
                    a["unit"].name if a["unit"] else "",
                    a["role"],
                ]
            )
        for r in record.results:
            rows.append(
                [
                    _("Result"),
                    r.round.scheme.year,
                    r.round.get_kind_display(),
                    f"{r.composite} · {r.rank}/{r.of}",
                    r.grade,
                ]
            )
        for n in record.notices:
            rows.append(
                [
                    _("Notice"),
                    n.issued_on.year if n.issued_on else "",
                    n.get_kind_display(),
                    n.number,
                    n.title,
                ]
            )
        for act in record.actions:
            rows.append(
                [
                    _("Kind of decision"),
                    act.year,
                    act.get_kind_display(),
                    act.decided_on.isoformat(),
                    act.basis,
                ]
            )
        headers = [_("Item"), _("Year"), _("What"), _("Detail"), _("Note")]
        return xlsx_response(f"{title}.xlsx", table_workbook(title, headers, rows))
    choosable = []
    if person.unit_id:
        choosable = list(
            RoundResult.objects.filter(
                unit_id=person.unit_id,
                round__status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL],
            ).select_related("round__scheme")
        )
    return render(
        request,
        "appraisal/cadre.html",
        {
            "record": record,
            "cadre": person,
            "can_record": has_perm(user, Permission.CADRE_MANAGE),
            "kinds": CadreActionKind.choices,
            "choosable": choosable,
            "today": timezone.localdate(),
        },
    )


@require_POST
@permission_required(Permission.CADRE_MANAGE)
def cadre_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.cadre_get(user, pk)
    post = request.POST
    try:
        chosen = list(
            RoundResult.objects.filter(
                pk__in=[int(x) for x in post.getlist("results")],
                round__county_id=county_id_of(user),
            ).select_related("round")
        )
        decided_on = dt.date.fromisoformat(post.get("decided_on", ""))
        cadre_action_record(
            user=user,
            cadre=person,
            kind=post.get("kind", ""),
            year=int(post.get("year") or decided_on.year),
            results=chosen,
            basis=post.get("basis", ""),
            notices=list(
                Notice.objects.filter(
                    pk__in=[int(x) for x in post.getlist("notices")],
                    county_id=county_id_of(user),
                )
            ),
            decided_on=decided_on,
        )
        messages.success(request, _("The decision was recorded."))
    except ValueError:
        messages.error(request, _("Give the date of the decision."))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("appraisal:cadre", pk)
