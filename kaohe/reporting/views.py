"""Reporting pages: a unit's due list and report form, the review and confirmation queues."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.org.access import Permission, county_id_of, has_perm, permission_required
from kaohe.org.forms import add_service_errors
from kaohe.org.models import Cadre, Unit, User
from kaohe.reporting import access, plans, selectors, services
from kaohe.reporting.forms import ConfirmForm, ReopenForm, ReportForm, ReviewForm
from kaohe.reporting.items import (
    attach_item_index,
    field_name,
    indicator_items,
    items_for,
    shared_values,
)
from kaohe.reporting.models import Period, ProgressReport, ReportStatus, TargetLists
from kaohe.reporting.quality import quality_flags
from kaohe.reporting.workflow import REOPENABLE
from kaohe.schemes.models import Indicator


@permission_required(Permission.REPORT_FILL)
def due(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    items = selectors.due_list(user=user, today=today)
    return render(
        request,
        "reporting/due.html",
        {"items": items, "unit": user.unit, "theme": selectors.quarter_theme(today)},
    )


@permission_required(Permission.REPORT_FILL)
def fill(request: HttpRequest, target_pk: int, period_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get_for_fill(user, target_pk)
    period = access.period_get(user, period_pk)
    report = ProgressReport.objects.filter(
        unit_id=target.unit_id, indicator_id=target.indicator_id, period=period
    ).first()
    previous = selectors.previous_value(
        report_unit_id=target.unit_id, indicator_id=target.indicator_id, before=period.end
    )
    data_items = indicator_items(target.indicator)
    initial: dict[str, object] = {"version": report.version if report else None}
    if report is not None:
        initial.update(value=report.value, note=report.note)
    if data_items:
        # A figure entered once: items already given for another indicator are pre-filled.
        known = {**shared_values(unit_id=target.unit_id, period_id=period.pk)}
        known.update(report.items if report is not None else {})
        initial.update({field_name(c): v for c, v in known.items()})
    form = ReportForm(request.POST or None, initial=initial, data_items=data_items)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                user=user,
                target=target,
                period=period,
                value=form.cleaned_data.get("value", ""),
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                files=request.FILES.getlist("files"),
                items=form.item_values() if data_items else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report submitted to the assessing department."))
            return redirect("reporting:due")
    return render(
        request,
        "reporting/fill.html",
        {
            "form": form,
            "target": target,
            "period": period,
            "report": report,
            "previous": previous,
            "max_mb": settings.KAOHE_EVIDENCE_MAX_MB,
            "data_items": data_items,
        },
    )


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@permission_required(Permission.REPORT_REVIEW)
def queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    status = request.GET.get("status") or ReportStatus.SUBMITTED
    reports = list(
        selectors.review_queue(
            user=user,
            status=status,
            unit_id=_int(request.GET.get("unit")),
            indicator_id=_int(request.GET.get("indicator")),
        )[:300]
    )
    attach_item_index(reports)
    return render(
        request,
        "reporting/queue.html",
        {
            "reports": reports,
            "status": status,
            "statuses": ReportStatus.choices,
            "units": Unit.objects.filter(county_id=county_id_of(user), is_assessed=True).order_by(
                "code"
            ),
            "indicators": Indicator.objects.filter(
                assessor_id=user.unit_id, scheme__status="published"
            ).order_by("position"),
            "chosen_unit": _int(request.GET.get("unit")),
            "chosen_indicator": _int(request.GET.get("indicator")),
        },
    )


@permission_required(Permission.REPORT_CONFIRM)
def completeness(request: HttpRequest) -> HttpResponse:
    """The office's view of completeness and timeliness per unit for one period."""
    user: User = request.user  # type: ignore[assignment]
    periods = list(
        Period.objects.filter(
            county_id=county_id_of(user),
            scheme__status="published",
            start__lte=timezone.localdate(),
        )
        .select_related("scheme")
        .order_by("-end", "kind")
    )
    chosen = _int(request.GET.get("period"))
    period = next((p for p in periods if p.pk == chosen), None) or next(
        (p for p in periods if p.kind == "month"), None
    )
    rows = selectors.completeness(user=user, period=period) if period else []
    return render(
        request, "reporting/completeness.html", {"periods": periods, "period": period, "rows": rows}
    )


@require_POST
@permission_required(Permission.REPORT_REVIEW)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = access.report_get(user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.report_approve(
                    user=user, report=report, version=data["version"], note=data["note"]
                )
                messages.success(request, _("Approved."))
            else:
                services.report_return(
                    user=user, report=report, version=data["version"], reason=data["note"]
                )
                messages.success(request, _("Returned to the unit."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("The review form is incomplete."))
    return redirect("reporting:queue")


@permission_required(Permission.REPORT_CONFIRM)
def confirm_queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    reports = selectors.confirm_queue(user=user)[:200]
    return render(request, "reporting/confirm_queue.html", {"reports": reports})


@require_POST
@permission_required(Permission.REPORT_CONFIRM)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = access.report_get(user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.report_confirm(user=user, report=report, version=form.cleaned_data["version"])
            messages.success(request, _("Confirmed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("reporting:confirm_queue")


@permission_required(Permission.REPORT_VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = access.report_get(user, pk)
    return render(
        request,
        "reporting/detail.html",
        {
            "report": report,
            "reopenings": report.reopenings.select_related("reopened_by"),
            "can_reopen": has_perm(user, Permission.REPORT_CONFIRM) and report.status in REOPENABLE,
        },
    )


@permission_required(Permission.REPORT_VIEW)
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to someone who may see its report, as a download."""
    user: User = request.user  # type: ignore[assignment]
    item = access.evidence_get(user, pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@require_POST
@permission_required(Permission.REPORT_FILL)
def check(request: HttpRequest, target_pk: int, period_pk: int) -> HttpResponse:
    """The flags a value would raise, shown to the unit as it types, before it submits."""
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get_for_fill(user, target_pk)
    period = access.period_get(user, period_pk)
    data_items = indicator_items(target.indicator)
    raw = {d.code: request.POST.get(field_name(d.code), "") for d in data_items}
    try:
        value, _items = services.value_of(target.indicator, request.POST.get("value", ""), raw)
    except ValidationError as exc:
        problems = exc.messages if data_items and all(raw.values()) else []
        return render(request, "reporting/flags.html", {"flags": [], "problems": problems})
    flags = quality_flags(target=target, period=period, value=value)
    return render(
        request,
        "reporting/flags.html",
        {
            "flags": [f.as_dict() for f in flags],
            "computed": value if data_items else None,
            "unit_of_measure": target.indicator.unit_of_measure,
        },
    )


@require_POST
@permission_required(Permission.REPORT_CONFIRM)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The office reopens a report for correction, with a reason."""
    user: User = request.user  # type: ignore[assignment]
    report = access.report_get(user, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.report_reopen(
                user=user,
                report=report,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Reopened: the unit can correct and submit it again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Say why the report is reopened."))
    return redirect("reporting:detail", pk=report.pk)


@permission_required(Permission.REPORT_FILL)
def grid(request: HttpRequest) -> HttpResponse:
    """The unit's whole period on one keyboard-friendly grid, pre-filled from the last period."""
    user: User = request.user  # type: ignore[assignment]
    items = selectors.due_list(user=user, today=timezone.localdate())
    data_items = items_for(item.target.indicator for item in items)
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        rows = []
        for item in items:
            if not item.editable:
                continue
            value = request.POST.get(f"value-{item.key}", "").strip()
            posted[f"value-{item.key}"] = value
            posted[f"note-{item.key}"] = request.POST.get(f"note-{item.key}", "")
            raw = {
                d.code: request.POST.get(f"item-{item.key}-{d.code}", "").strip()
                for d in data_items.get(item.target.indicator_id, [])
            }
            posted.update({f"item-{item.key}-{c}": v for c, v in raw.items()})
            if not (any(raw.values()) if raw else value):
                continue  # rows left empty are not submitted
            version = request.POST.get(f"version-{item.key}") or None
            rows.append(
                services.GridRow(
                    item.target,
                    item.period,
                    value,
                    posted[f"note-{item.key}"],
                    int(version) if version and version.isdigit() else None,
                    raw or None,
                )
            )
        try:
            saved = services.reports_submit_grid(user=user, rows=rows)
        except ValidationError as exc:
            errors = exc.message_dict
            messages.error(request, _("Nothing was submitted: correct the marked rows."))
        else:
            messages.success(
                request,
                _("%(n)d reports submitted to the assessing departments.") % {"n": len(saved)},
            )
            return redirect("reporting:grid")
    rows_view = [
        (
            item,
            posted.get(f"value-{item.key}", ""),
            posted.get(f"note-{item.key}", ""),
            errors.get(item.key, []),
            [
                (
                    d,
                    f"item-{item.key}-{d.code}",
                    posted.get(
                        f"item-{item.key}-{d.code}",
                        (item.report.items or {}).get(d.code, "") if item.report else "",
                    ),
                )
                for d in data_items.get(item.target.indicator_id, [])
            ],
        )
        for item in items
    ]
    return render(request, "reporting/grid.html", {"rows": rows_view, "unit": user.unit})


@permission_required(Permission.REPORT_VIEW)
def lists(request: HttpRequest, target_pk: int) -> HttpResponse:
    """A target's task, measures and responsibility lists: the unit edits its own until the
    deadline; the office at any time, with a reason once they are locked."""
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get(user, target_pk)
    current = TargetLists.objects.filter(target=target).select_related("leader").first()
    may_edit = (user.role == "unit" and target.unit_id == user.unit_id) or user.role == "office"
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        tasks = [
            {
                "title": request.POST.get(f"task-{n}-title", ""),
                "deadline": request.POST.get(f"task-{n}-deadline", ""),
                "milestone": request.POST.get(f"task-{n}-milestone", ""),
            }
            for n in range(plans.MAX_LIST_ITEMS)
        ]
        version = request.POST.get("version")
        try:
            plans.target_lists_save(
                user=user,
                target=target,
                tasks=tasks,
                measures=request.POST.get("measures", "").splitlines(),
                leader_id=_int(request.POST.get("leader")),
                person_in_charge=request.POST.get("person_in_charge", ""),
                contact=request.POST.get("contact", ""),
                version=int(version) if version and version.isdigit() else None,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Lists saved."))
            return redirect("reporting:lists", target_pk=target.pk)
    tasks = list(current.tasks) if current else []
    rows = tasks + [{"title": "", "deadline": "", "milestone": ""}] * max(3, 5 - len(tasks))
    return render(
        request,
        "reporting/lists.html",
        {
            "target": target,
            "lists": current,
            "task_rows": rows[: plans.MAX_LIST_ITEMS],
            "may_edit": may_edit,
            "leaders": Cadre.objects.filter(county_id=target.county_id, is_county_leader=True),
            "locked": target.scheme.lists_deadline is not None
            and timezone.localdate() > target.scheme.lists_deadline,
        },
    )


@require_POST
@permission_required(Permission.REPORT_FILL)
def target_propose(request: HttpRequest, target_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get(user, target_pk)
    try:
        plans.target_propose(
            user=user,
            target=target,
            proposed=request.POST.get("proposed", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Proposal sent to the performance office."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:lists", target_pk=target.pk)


@require_POST
@permission_required(Permission.REPORT_CONFIRM)
def target_decide(request: HttpRequest, target_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get(user, target_pk)
    try:
        plans.target_proposal_decide(
            user=user,
            target=target,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Decided."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:lists", target_pk=target.pk)


def _milestone_lines(text: str) -> list[tuple[str, str]]:
    """'2026-04-30 0.3' per line (a date and the share due by then; 30% also reads as 0.3)."""
    out = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValidationError(
                {
                    "milestones": _(
                        "Write each milestone as a date and a share, e.g. 2026-04-30 0.3."
                    )
                }
            )
        day, share = parts
        out.append((day, str(float(share[:-1]) / 100) if share.endswith("%") else share))
    return out


@require_POST
@permission_required(Permission.REPORT_CONFIRM)
def target_schedule(request: HttpRequest, target_pk: int) -> HttpResponse:
    """The office sets a target, its stretch target and its time schedule (linear, monthly
    shares or milestones)."""
    user: User = request.user  # type: ignore[assignment]
    target = access.target_get(user, target_pk)
    post = request.POST
    kind = post.get("schedule", "linear")
    try:
        shares = None
        if kind == "monthly":
            shares = [
                float(x) for x in post.get("monthly_shares", "").replace("，", ",").split(",")
            ]
        plans.target_set(
            user=user,
            target=target,
            annual_target=post.get("annual_target", ""),
            stretch_target=post.get("stretch_target", ""),
            monthly_shares=shares,
            milestones=_milestone_lines(post.get("milestones", ""))
            if kind == "milestones"
            else None,
            reason=post.get("reason", ""),
        )
        messages.success(request, _("The target and its schedule were saved."))
    except ValueError:
        messages.error(request, _("Monthly shares are twelve numbers separated by commas."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:lists", target_pk=target.pk)
