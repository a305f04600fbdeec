"""Scheme files from the browser: upload one to check and import it as a draft (a background job
that lists every problem and previews the scheme), and export a scheme as JSON or Excel."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.exchange.scheme_excel import to_xlsx
from kaohe.exchange.scheme_json import to_json
from kaohe.exchange.services import scheme_spec
from kaohe.exchange.uploads import download, upload_job_start
from kaohe.exchange.workbook import MAX_BYTES, XLSX
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User
from kaohe.schemes.access import scheme_get

ACCEPTED = (".json", ".xlsx")


@permission_required(Permission.SCHEME_MANAGE)
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a file; the check runs as a job whose page lists problems or offers the import."""
    problems: list[str] = []
    if request.method == "POST":
        try:
            job = upload_job_start(
                request,
                kind="scheme.check",
                label=_("Check the scheme file %(name)s"),
                accept=ACCEPTED,
                max_bytes=MAX_BYTES,
                missing=_("Choose the scheme file to upload."),
                wrong_type=_(
                    "%(name)s is neither a JSON scheme file (.json) nor an Excel workbook (.xlsx)."
                ),
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
        content: bytes | str = to_json(spec)
        content_type = "application/json; charset=utf-8"
    else:
        content, content_type = to_xlsx(spec), XLSX
    return download(
        content, name=_export_name(scheme.name, scheme.year, fmt), content_type=content_type
    )


def _export_name(name: str, year: int, fmt: str) -> str:
    """示范县2026年度绩效考核实施方案.json; the year is added where the name does not hold it,
    and a character no file system takes is replaced."""
    title = name if str(year) in name else f"{year}年度 {name}"
    return "".join("_" if c in '/\\:*?"<>|' else c for c in title) + f".{fmt}"
