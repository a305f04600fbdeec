"""Files in and out of the exchange pages: an upload that starts a background check, and a
download saved under its Chinese name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kaohe.jobs.models import BackgroundJob
from kaohe.jobs.services import job_start


def upload_job_start(
    request: HttpRequest,
    *,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    accept: Sequence[str] = (".xlsx",),
    max_bytes: int,
    missing: str | None = None,
    wrong_type: str | None = None,
) -> BackgroundJob:
    """Start job `kind` on the request's uploaded ``file``, or ValidationError with what to fix.

    Refused before any job exists: no file (`missing`), a name not ending in one of `accept`
    (`wrong_type`, with %(name)s), and what job_start refuses (too large, empty). `label` may
    hold %(name)s, the uploaded file's name. The caller has checked the user may start it."""
    file = request.FILES.get("file")
    if file is None:
        raise ValidationError(missing or _("Choose the filled-in file to upload."))
    name = file.name or ""
    if not name.lower().endswith(tuple(accept)):
        raise ValidationError(
            (wrong_type or _("%(name)s is not an Excel workbook (.xlsx).")) % {"name": name}
        )
    return job_start(
        user=request.user,  # type: ignore[arg-type]
        kind=kind,
        label=label % {"name": name} if "%(name)s" in label else label,
        params=params,
        upload=file,
        max_bytes=max_bytes,
    )


def download(content: bytes | str, *, name: str, content_type: str) -> HttpResponse:
    """A file to save, under its Chinese name (RFC 5987: UTF-8, as the bulletins are sent)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
