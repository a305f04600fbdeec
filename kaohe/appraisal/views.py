"""Rounds, results, publication and appeals: thin views over appraisal's services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.appraisal import access
from kaohe.appraisal.inputs import VETO_KINDS, rules_for
from kaohe.appraisal.models import (
    Adjustment,
    AdjustmentKind,
    AppealStatus,
    Award,
    HigherResult,
    RatingGroup,
    RoundKind,
    RoundStatus,
)
from kaohe.appraisal.ratings import higher_result_save, ratings_import, read_ratings_sheet
from kaohe.appraisal.services import (
    adjustment_add,
    appeal_file,
    appeal_resolve,
    round_finalise,
    round_publish,
)
from kaohe.appraisal.tasks import COMPUTE
from kaohe.documents.explain_text import localized_name
from kaohe.documents.spreadsheet import table_workbook, xlsx_response
from kaohe.jobs.services import job_start
from kaohe.org.access import Permission, has_perm, permission_required, unit_id_of
from kaohe.org.models import Category, Role, Unit, User
from kaohe.schemes.access import scheme_current
from kaohe.schemes.models import Indicator


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> dt.date:
    return timezone.localdate()


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@permission_required(Permission.RESULT_VIEW)
def rounds(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "appraisal/rounds.html",
        {
            "rounds": access.rounds_visible(user).order_by("-scheme__year", "kind", "number"),
            "can_manage": has_perm(user, Permission.ROUND_MANAGE),
            "kinds": RoundKind.choices,
        },
    )


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def compute(request: HttpRequest) -> HttpResponse:
    """Start the round's computation in the worker; its job page shows the progress."""
    user = _user(request)
    scheme = scheme_current(user)
    kind = request.POST.get("kind", "")
    number = request.POST.get("number") or "0"
    number_value = int(number) if number.isdigit() else -1
    if kind == RoundKind.ANNUAL:
        number_value = 0
    elif kind != RoundKind.QUARTERLY or not 1 <= number_value <= 4:
        messages.error(request, _("Choose the kind of round and, for a quarter, 1 to 4."))
        return redirect("appraisal:rounds")
    label = (
        _("Compute the annual round %(year)s") % {"year": scheme.year}
        if kind == RoundKind.ANNUAL
        else _("Compute quarter %(n)d of %(year)s") % {"n": number_value, "year": scheme.year}
    )
    job = job_start(
        user=user,
        kind=COMPUTE,
        label=label,
        params={"scheme": scheme.pk, "kind": kind, "number": number_value},
        back_url=reverse("appraisal:rounds"),
    )
    return redirect(job)


def _rows(results: Any) -> list[list[Any]]:
    return [
        [
            getattr(r, "category_label", r.category_code),
            r.rank,
            r.unit.name,
            *[r.components.get(c, "") for c in ("own", "quarterly", "higher", "rating")],
            float(r.bonus),
            float(r.deduction),
            float(r.composite),
            r.grade,
            r.veto,
        ]
        for r in results
    ]


@permission_required(Permission.RESULT_VIEW)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_get(user, pk)
    results = list(access.results_visible(user, rnd))
    # Results keep the category's code as frozen; the page names it (BM1 means nothing to a clerk).
    categories = {c.code: c for c in Category.objects.filter(county_id=rnd.scheme.county_id)}
    for r in results:
        r.category_label = localized_name(categories.get(r.category_code)) or r.category_code  # type: ignore[attr-defined]
    headers = [
        _("Category"),
        _("Rank"),
        _("Unit"),
        _("Own appraisal"),
        _("Quarterly rounds"),
        _("Higher-level results"),
        _("Evaluators' rating"),
        _("Bonus"),
        _("Deduction"),
        _("Composite score"),
        _("Grade"),
        _("Veto"),
    ]
    if request.GET.get("format") == "xlsx":
        title = _("Appraisal results %(year)s") % {"year": rnd.scheme.year}
        return xlsx_response(f"{title}.xlsx", table_workbook(title, headers, _rows(results)))
    is_unit = user.role == Role.UNIT
    own_appeals = rnd.appeals.filter(unit_id=unit_id_of(user)) if is_unit else rnd.appeals.none()
    can_manage = has_perm(user, Permission.ROUND_MANAGE)
    leaves = Indicator.objects.filter(scheme=rnd.scheme, children__isnull=True).order_by("code")
    return render(
        request,
        "appraisal/round.html",
        {
            "round": rnd,
            "results": results,
            "headers": headers,
            "can_manage": can_manage,
            "appeals": rnd.appeals.select_related("unit") if can_manage else own_appeals,
            "can_appeal": is_unit
            and rnd.status == RoundStatus.PUBLISHED
            and rnd.notice_ends is not None
            and _today() <= rnd.notice_ends
            and bool(results)
            and not own_appeals.filter(status=AppealStatus.FILED).exists(),
            "amendments": rnd.amendments.select_related("appeal__unit"),
            "leaves": leaves if can_manage else [],
            "adjustments": rnd.inputs.get("adjustments", []) if can_manage else [],
            "awards": Award.objects.filter(result__round=rnd, result__in=results),
            "today": _today(),
        },
    )


@permission_required(Permission.RESULT_VIEW)
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = access.result_get(_user(request), pk)
    own = list((result.explanation or {}).get("own") or [])
    # The frozen lines name each indicator as the round saw it, in Chinese; the scheme gives
    # the English name for the English interface (a line's own name_en, if any, comes first).
    english = dict(
        Indicator.objects.filter(
            scheme_id=result.round.scheme_id, code__in=[line.get("indicator") for line in own]
        ).values_list("code", "name_en")
    )
    lines = [{"name_en": english.get(line.get("indicator"), ""), **line} for line in own]
    return render(
        request,
        "appraisal/result.html",
        {"result": result, "round": result.round, "own_lines": lines},
    )


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_get(user, pk)
    try:
        days = int(request.POST.get("notice_days") or 7)
        round_publish(user=user, round=rnd, notice_days=days, today=_today())
        messages.success(request, _("The results are published for comment."))
    except ValueError:
        messages.error(request, _("The notice period lasts 1 to 30 days."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:round", pk)


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_get(user, pk)
    try:
        round_finalise(user=user, round=rnd, today=_today())
        messages.success(request, _("The results are final."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:round", pk)


@require_POST
@permission_required(Permission.APPEAL_FILE)
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_get(user, pk)
    try:
        appeal_file(
            user=user,
            round=rnd,
            reason=request.POST.get("reason", ""),
            evidence=request.FILES.get("evidence"),
            today=_today(),
        )
        messages.success(request, _("Your appeal was filed; the office will re-check."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:round", pk)


def _correction(post: Any, unit_id: int) -> dict[str, Any] | None:
    if post.get("correction") == "value":
        try:
            value = float(Decimal(post.get("value", "")))
            indicator = int(post.get("indicator", ""))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(_("Give the indicator and the corrected value.")) from exc
        return {"kind": "value", "unit": unit_id, "indicator": indicator, "value": value}
    if post.get("correction") == "withdraw_adjustment":
        try:
            return {"kind": "withdraw_adjustment", "adjustment": int(post.get("adjustment", ""))}
        except ValueError as exc:
            raise ValidationError(_("Choose the adjustment to withdraw.")) from exc
    return None


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.appeal_get(user, pk)
    uphold = request.POST.get("decision") == "uphold"
    try:
        appeal_resolve(
            user=user,
            appeal=item,
            uphold=uphold,
            resolution=request.POST.get("resolution", ""),
            correction=_correction(request.POST, item.unit_id) if uphold else None,
        )
        messages.success(request, _("The appeal was answered."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:round", item.round_id)


@permission_required(Permission.ROUND_MANAGE)
def inputs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scheme = scheme_current(user)
    return render(
        request,
        "appraisal/inputs.html",
        {
            "scheme": scheme,
            "groups": RatingGroup.objects.filter(scheme=scheme),
            "rules_groups": rules_for(scheme, RoundKind.ANNUAL).get("rating_groups") or [],
            "higher": HigherResult.objects.filter(scheme=scheme).select_related("source"),
            "sources": scheme.source_indicators.order_by("code"),
            "adjustments": Adjustment.objects.filter(scheme=scheme).select_related("unit"),
            "units": Unit.objects.filter(county_id=scheme.county_id, is_assessed=True),
            "adjustment_kinds": AdjustmentKind.choices,
            "veto_kinds": [(k, str(v)) for k, v in VETO_KINDS.items()],
        },
    )


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def adjustment(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scheme = scheme_current(user)
    post = request.POST
    try:
        unit = Unit.objects.get(pk=int(post.get("unit", "0")), county_id=scheme.county_id)
        adjustment_add(
            user=user,
            scheme=scheme,
            unit=unit,
            kind=post.get("kind", ""),
            code=post.get("code", ""),
            points=Decimal(post.get("points") or "0"),
            reason=post.get("reason", ""),
            on=dt.date.fromisoformat(post.get("on", "")),
        )
        messages.success(request, _("The adjustment was recorded."))
    except (Unit.DoesNotExist, ValueError, InvalidOperation):
        messages.error(request, _("Fill in the unit, the points and the date."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:inputs")


@require_POST
@permission_required(Permission.RATING_ENTER)
def ratings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scheme = scheme_current(user)
    post, upload = request.POST, request.FILES.get("sheet")
    try:
        if upload is None:
            raise ValidationError(_("Choose the workbook of ballots."))
        code = (post.get("code") or "").strip()[:16]
        if not code:
            raise ValidationError(_("Give the group a code."))
        group = ratings_import(
            user=user,
            scheme=scheme,
            code=code,
            name=(post.get("name") or code).strip()[:64],
            weight=Decimal(post.get("weight") or "0"),
            drop_extremes=post.get("drop_extremes") == "on",
            rows=read_ratings_sheet(upload.read()),
        )
        messages.success(
            request, _("%(count)d ballots imported.") % {"count": group.ratings.count()}
        )
    except InvalidOperation:
        messages.error(request, _("A group's weight lies between 0 and 1."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:inputs")


@require_POST
@permission_required(Permission.ROUND_MANAGE)
def higher(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scheme = scheme_current(user)
    post = request.POST
    source = None
    if post.get("source"):
        raw = post.get("source", "")
        source = scheme.source_indicators.filter(pk=int(raw)).first() if raw.isdigit() else None
        if source is None:
            raise Http404
    try:
        rank = int(post["rank"]) if post.get("rank") else None
        higher_result_save(
            user=user,
            scheme=scheme,
            source=source,
            score=Decimal(post.get("score") or ""),
            prefecture_rank=rank,
            note=post.get("note", "")[:200],
        )
        messages.success(request, _("The higher-level result was saved."))
    except (InvalidOperation, ValueError):
        messages.error(request, _("A higher-level score is a percentage from 0 to 120."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("appraisal:inputs")
