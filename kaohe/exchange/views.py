"""Excel round trip of a unit's period: download the pre-filled template, upload it back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.documents.spreadsheet import xlsx_response
from kaohe.exchange.report_excel import (
    UploadError,
    assessor_template,
    read_assessor_upload,
    read_upload,
    template,
)
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User
from kaohe.reporting.bulk import EnteredRow, reports_enter_by_assessor
from kaohe.reporting.items import items_for
from kaohe.reporting.selectors import assessor_due, due_list
from kaohe.reporting.services import GridRow, reports_submit_grid


@permission_required(Permission.REPORT_FILL)
def report_template(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    items = due_list(user=user, today=timezone.localdate())
    labels = {
        item.period.pk: render_to_string(
            "reporting/period_label.html", {"period": item.period}
        ).strip()
        for item in items
    }
    data_items = items_for(i.target.indicator for i in items)
    # The file is named as the township keeps it: its name, what it is and the day.
    filename = _("%(unit)s report form %(day)s.xlsx") % {
        "unit": user.unit.name,
        "day": f"{timezone.localdate():%Y%m%d}",
    }
    return xlsx_response(filename, template(user.unit, items, labels, data_items))


@permission_required(Permission.REPORT_FILL)
def report_upload(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose the filled-in file to upload.")]
        else:
            items = due_list(user=user, today=timezone.localdate())
            try:
                data_items = items_for(i.target.indicator for i in items)
                rows = read_upload(upload.read(), user.unit, items, data_items)
                saved = reports_submit_grid(
                    user=user,
                    rows=[
                        GridRow(
                            r.item.target,
                            r.item.period,
                            r.value,
                            r.note,
                            r.item.report.version if r.item.report else None,
                            r.items,
                        )
                        for r in rows
                    ],
                )
            except UploadError as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
            else:
                messages.success(
                    request,
                    _("%(n)d reports submitted to the assessing departments.") % {"n": len(saved)},
                )
                return redirect("reporting:grid")
    return render(request, "exchange/report_upload.html", {"problems": problems})


@permission_required(Permission.REPORT_REVIEW)
def assessor_template_view(request: HttpRequest) -> HttpResponse:
    """The assessing department's data for all units, as one workbook to fill in."""
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    items = assessor_due(user=user, today=timezone.localdate())
    labels = {
        item.period.pk: render_to_string(
            "reporting/period_label.html", {"period": item.period}
        ).strip()
        for item in items
    }
    data_items = items_for(i.target.indicator for i in items)
    filename = _("%(unit)s data entry form %(day)s.xlsx") % {
        "unit": user.unit.name,
        "day": f"{timezone.localdate():%Y%m%d}",
    }
    return xlsx_response(filename, assessor_template(user.unit, items, labels, data_items))


@permission_required(Permission.REPORT_REVIEW)
def assessor_upload(request: HttpRequest) -> HttpResponse:
    """Upload the filled workbook: every row is entered (and approved) or none."""
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose the filled-in file to upload.")]
        else:
            items = assessor_due(user=user, today=timezone.localdate())
            try:
                data_items = items_for(i.target.indicator for i in items)
                rows = read_assessor_upload(upload.read(), user.unit, items, data_items)
                saved = reports_enter_by_assessor(
                    user=user,
                    rows=[
                        EnteredRow(r.item.target, r.item.period, r.value, r.note, r.items)
                        for r in rows
                    ],
                )
            except UploadError as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
            else:
                messages.success(
                    request, _("%(n)d values entered and approved.") % {"n": len(saved)}
                )
                return redirect("reporting:queue")
    return render(request, "exchange/assessor_upload.html", {"problems": problems})
