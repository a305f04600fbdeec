"""Scheme files from the browser: upload one to check and import it as a draft (a background job
that lists every problem and previews the scheme), and export a scheme as JSON or Excel."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.exchange.scheme_excel import to_xlsx
from kaohe.exchange.scheme_json import MAX_BYTES, to_json
from kaohe.exchange.services import scheme_spec
from kaohe.jobs.services import job_start
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User
from kaohe.schemes.access import scheme_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = (".json", ".xlsx")


@permission_required(Permission.SCHEME_MANAGE)
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a file; the check runs as a job whose page lists problems or offers the import."""
    user: User = request.user  # type: ignore[assignment]
    problems: list[str] = []
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            problems = [_("Choose the scheme file to upload.")]
        elif not (file.name or "").lower().endswith(ACCEPTED):
            problems = [
                _("%(name)s is neither a JSON scheme file (.json) nor an Excel workbook (.xlsx).")
                % {"name": file.name}
            ]
        else:
            try:
                job = job_start(
                    user=user,
                    kind="scheme.check",
                    label=_("Check the scheme file %(name)s") % {"name": file.name},
                    upload=file,
                    max_bytes=MAX_BYTES,
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                return redirect(job)
    return render(
        request,
        "exchange/schemes/upload.html",
        {"problems": problems, "limit": MAX_BYTES // (1024 * 1024)},
    )


@permission_required(Permission.SCHEME_MANAGE)
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The scheme as the file it can be imported from (a draft's, a closed year's, any)."""
    user: User = request.user  # type: ignore[assignment]
    scheme = scheme_get(user, pk)
    if fmt not in {"json", "xlsx"}:
        raise Http404
    spec = scheme_spec(scheme)
    if fmt == "json":
        response = HttpResponse(to_json(spec), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(spec), content_type=XLSX)
    name = f"scheme-{scheme.county.code}-{scheme.year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
