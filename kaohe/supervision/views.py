"""Pages of the closed loop: notices and their rectification, inspections, problems, visits,
loop counts and the cadence jobs. Thin: access helpers load, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kaohe.documents.official import chinese_date, render_pdf
from kaohe.org.access import Permission, has_perm, permission_required
from kaohe.org.forms import add_service_errors
from kaohe.org.models import User
from kaohe.supervision import access, records, schedules, selectors, services
from kaohe.supervision.forms import (
    DecideForm,
    EscalationForm,
    InspectionForm,
    IssueForm,
    ProblemForm,
    ProblemUpdateForm,
    ReasonForm,
    RectificationForm,
    ScheduleForm,
    VisitForm,
)
from kaohe.supervision.models import (
    ESCALATABLE,
    LIVE,
    NEXT_KIND,
    Job,
    NoticeKind,
    NoticeStatus,
    Rectification,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@permission_required(Permission.NOTICE_VIEW)
def notices(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = access.notices_visible(user).select_related("issuer", "recipient")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status in NoticeStatus.values:
        qs = qs.filter(status=status)
    if kind in NoticeKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "supervision/notices.html",
        {
            "notices": qs[:300],
            "statuses": NoticeStatus.choices,
            "kinds": NoticeKind.choices,
            "status": status,
            "kind": kind,
            "today": timezone.localdate(),
        },
    )


@permission_required(Permission.NOTICE_VIEW)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.notice_get(user, pk)
    can_manage = has_perm(user, Permission.NOTICE_ISSUE)
    can_rectify = (
        has_perm(user, Permission.RECTIFY)
        and item.recipient_id == user.unit_id
        and item.status in ESCALATABLE
    )
    return render(
        request,
        "supervision/notice.html",
        {
            "notice": item,
            "colours": selectors.current_colours(item),
            "rectifications": item.rectifications.select_related(
                "submitted_by", "decided_by"
            ).prefetch_related("evidence"),
            "children": item.children.all(),
            "can_manage": can_manage,
            "can_rectify": can_rectify,
            "can_escalate": can_manage and item.status in LIVE and item.kind in NEXT_KIND,
            "can_withdraw": can_manage and item.is_open,
            "issue_form": IssueForm(
                initial={
                    "version": item.version,
                    "deadline": item.deadline,
                    "required_actions": item.required_actions,
                }
            )
            if can_manage and item.status == NoticeStatus.DRAFT
            else None,
            "today": timezone.localdate(),
        },
    )


@permission_required(Permission.NOTICE_VIEW)
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.notice_get(_user(request), pk)
    if not item.number:
        raise Http404
    pdf = render_pdf(
        "supervision/notice_pdf.html",
        {
            "issuer": item.issuer.name,
            "number": item.number,
            "title": item.title,
            "issued_on": chinese_date(item.issued_on or timezone.localdate()),
            "notice": item,
            "deadline": chinese_date(item.deadline),
            "indicators": item.indicators.order_by("position"),
            "parent": item.parent,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{item.pk}.pdf"'
    return response


@require_POST
@permission_required(Permission.NOTICE_ISSUE)
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.notice_get_to_manage(user, pk)
    form = IssueForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a deadline and the actions required."))
        services.notice_issue(
            user=user,
            notice=item,
            today=timezone.localdate(),
            version=form.cleaned_data["version"],
            deadline=form.cleaned_data["deadline"],
            required_actions=form.cleaned_data["required_actions"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        item.refresh_from_db()
        messages.success(request, _("Issued as %(number)s.") % {"number": item.number})
    return redirect("supervision:notice", pk=item.pk)


@require_POST
@permission_required(Permission.NOTICE_ISSUE)
def notice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.notice_get_to_manage(user, pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.notice_withdraw(user=user, notice=item, today=timezone.localdate(), reason=reason)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The notice is withdrawn."))
    return redirect("supervision:notice", pk=item.pk)


@require_POST
@permission_required(Permission.NOTICE_ISSUE)
def notice_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.notice_get_to_manage(user, pk)
    try:
        child = services.notice_escalate(user=user, notice=item, today=timezone.localdate())
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("supervision:notice", pk=item.pk)
    messages.success(request, _("Escalated as %(number)s.") % {"number": child.number})
    return redirect("supervision:notice", pk=child.pk)


@permission_required(Permission.RECTIFY)
def notice_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.notice_get_to_rectify(user, pk)
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_submit(
                user=user,
                notice=item,
                plan=form.cleaned_data["plan"],
                actions=form.cleaned_data["actions"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rectification submitted to the issuing office."))
            return redirect("supervision:notice", pk=item.pk)
    return render(request, "supervision/rectify.html", {"notice": item, "form": form})


@require_POST
@permission_required(Permission.NOTICE_ISSUE)
def rectification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rect = get_object_or_404(Rectification, pk=pk, county_id=user.county_id)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose to accept or return the rectification."))
        accept = form.cleaned_data["decision"] == "accept"
        services.rectification_decide(
            user=user,
            rectification=rect,
            accept=accept,
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            _("Rectification accepted: the loop is closed.")
            if accept
            else _("Rectification returned to the unit."),
        )
    return redirect("supervision:notice", pk=rect.notice_id)


@permission_required(Permission.NOTICE_VIEW)
def rectification_evidence(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.rectification_evidence_get(_user(request), pk)
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )


@permission_required(Permission.NOTICE_VIEW)
def loops(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_county_view(user)
    today = timezone.localdate()
    assert user.county is not None
    return render(
        request,
        "supervision/loops.html",
        {
            "by_unit": selectors.loops(user.county, today, "recipient_id"),
            "by_office": selectors.loops(user.county, today, "issuer_id"),
            "today": today,
        },
    )


def _cadence_forms(
    rows: list[selectors.CadenceRow], data: Any = None
) -> tuple[list[tuple[selectors.CadenceRow, ScheduleForm]], EscalationForm]:
    county = rows[0].schedule.county
    config = selectors.settings_read(county)
    forms = [
        (
            row,
            ScheduleForm(
                data,
                prefix=row.job,
                initial={
                    "version": row.schedule.version,
                    "frequency": row.schedule.frequency,
                    "at": row.schedule.at,
                    "weekday": row.schedule.weekday,
                    "day": row.schedule.day,
                    "enabled": row.schedule.enabled,
                },
            ),
        )
        for row in rows
    ]
    escalation = EscalationForm(
        data,
        initial={
            "version": config.version,
            "escalation": "issue" if config.escalation_issue else "draft",
        },
    )
    return forms, escalation


def _cadence_page(request: HttpRequest, data: Any = None) -> dict[str, Any]:
    """The cadence page's context (only reads) and its forms, bound to `data` when posted."""
    user = _user(request)
    county = user.county
    assert county is not None
    forms, escalation = _cadence_forms(selectors.cadence_overview(county), data)
    context = {
        "forms": forms,
        "escalation": escalation,
        "can_manage": has_perm(user, Permission.CADENCE_MANAGE),
        "runs": selectors.recent_runs(county),
        "failures": selectors.recent_failures(county),
        "snapshots": selectors.snapshots(county),
    }
    return context


@require_safe
@permission_required(Permission.CADENCE_VIEW)
def cadence(request: HttpRequest) -> HttpResponse:
    """The office's cadence page: each job's schedule (a form), last and next run, "run now",
    the failures and the runs. Opening it writes nothing."""
    return render(request, "supervision/cadence.html", _cadence_page(request))


@require_POST
@permission_required(Permission.CADENCE_MANAGE)
def cadence_save(request: HttpRequest) -> HttpResponse:
    """Save the schedules and the escalation mode at once; refused, the page comes back with
    the problems marked."""
    context = _cadence_page(request, request.POST)
    forms, escalation = context["forms"], context["escalation"]
    if all(f.is_valid() for _row, f in forms) and escalation.is_valid():
        try:
            schedules.cadence_settings_save(
                user=_user(request),
                changes=[
                    schedules.ScheduleChange(job=row.job, **f.cleaned_data) for row, f in forms
                ],
                escalation_issue=escalation.cleaned_data["escalation"] == "issue",
                settings_version=escalation.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(escalation, exc)
        else:
            messages.success(request, _("The cadence settings are saved."))
            return redirect("supervision:cadence")
    else:
        messages.error(request, _("The settings were not saved: see the marked fields."))
    return render(request, "supervision/cadence.html", context)


@require_POST
@permission_required(Permission.CADENCE_MANAGE)
def cadence_run(request: HttpRequest, job: str) -> HttpResponse:
    """Run now: start the job for the office's county in the background; its progress page
    links back to the cadence page."""
    if job not in Job.values:
        raise Http404
    return redirect(schedules.cadence_run_now(user=_user(request), job=job))


@permission_required(Permission.NOTICE_VIEW)
def inspections(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "supervision/inspections.html",
        {
            "inspections": access.inspections_visible(user).select_related("office", "unit")[:300],
            "can_record": has_perm(user, Permission.SUPERVISION_RECORD),
        },
    )


@permission_required(Permission.SUPERVISION_RECORD)
def inspection_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial = {"date": timezone.localdate(), "kind": "regular"}
    if user.unit is not None and user.unit.is_supervision:
        initial["office"] = user.unit
    form = InspectionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = records.inspection_record(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("supervision:inspection", pk=made.pk)
    return render(
        request, "supervision/form.html", {"form": form, "title": _("Record an inspection")}
    )


@permission_required(Permission.NOTICE_VIEW)
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.inspection_get(user, pk)
    return render(
        request,
        "supervision/inspection.html",
        {
            "inspection": item,
            "notices": access.notices_visible(user).filter(inspection=item),
            "problems": item.problems.all(),
            "can_act": has_perm(user, Permission.NOTICE_ISSUE)
            and has_perm(user, Permission.PROBLEM_MANAGE),
        },
    )


@require_POST
@permission_required(Permission.NOTICE_ISSUE)
def inspection_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.inspection_get(user, pk)
    made = records.inspection_to_notice(user=user, inspection=item, today=timezone.localdate())
    messages.success(request, _("A draft notice was made from the findings."))
    return redirect("supervision:notice", pk=made.pk)


@require_POST
@permission_required(Permission.PROBLEM_MANAGE)
def inspection_problem(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.inspection_get(user, pk)
    made = records.inspection_to_problem(user=user, inspection=item, today=timezone.localdate())
    messages.success(request, _("The finding was registered as a difficult problem."))
    return redirect("supervision:problem", pk=made.pk)


@permission_required(Permission.NOTICE_VIEW)
def problems(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = access.problems_visible(user)
    years = selectors.problem_years(qs)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else timezone.localdate().year)
    status = request.GET.get("status", "")
    rows = qs.filter(year=year).select_related("unit", "leader", "department")
    if status:
        rows = rows.filter(status=status)
    return render(
        request,
        "supervision/problems.html",
        {
            "problems": rows[:300],
            "counts": selectors.problem_counts(qs, year),
            "year": year,
            "years": years,
            "status": status,
            "can_manage": has_perm(user, Permission.PROBLEM_MANAGE),
        },
    )


@permission_required(Permission.PROBLEM_MANAGE)
def problem_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProblemForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            made = records.problem_raise(
                user=user, raised_on=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Problem registered."))
            return redirect("supervision:problem", pk=made.pk)
    return render(
        request, "supervision/form.html", {"form": form, "title": _("Register a difficult problem")}
    )


@permission_required(Permission.NOTICE_VIEW)
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access.problem_get(user, pk)
    form = None
    if has_perm(user, Permission.PROBLEM_MANAGE):
        form = ProblemUpdateForm(
            request.POST or None,
            user=user,
            initial={
                "status": item.status,
                "leader": item.leader,
                "department": item.department,
                "resolution": item.resolution,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                records.problem_update(
                    user=user, problem=item, today=timezone.localdate(), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Problem updated."))
                return redirect("supervision:problem", pk=item.pk)
    return render(
        request,
        "supervision/problem.html",
        {"problem": item, "form": form, "visits": item.visits.select_related("unit")},
    )


@permission_required(Permission.NOTICE_VIEW)
def visits(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "supervision/visits.html",
        {
            "visits": access.visits_visible(user)
            .select_related("unit", "leader")
            .prefetch_related("indicators", "problems")[:300],
            "can_record": has_perm(user, Permission.PROBLEM_MANAGE),
        },
    )


@permission_required(Permission.PROBLEM_MANAGE)
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = VisitForm(request.POST or None, user=user, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            records.visit_record(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Help visit recorded."))
            return redirect("supervision:visits")
    return render(
        request, "supervision/form.html", {"form": form, "title": _("Record a help visit")}
    )
