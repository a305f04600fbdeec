"""Checking evidence files on their content, never on their name.

A file is accepted when its first bytes are those of a type an office works with (PDF, PNG,
JPEG, and the Office Open XML formats: Word, Excel) and it is within the size limit. An
executable renamed to .pdf starts with "MZ" or "\\x7fELF", not "%PDF-", and is refused. Office
files are ZIP archives: the archive is opened and must hold "[Content_Types].xml" and the part
of its kind, and its members must not expand beyond a ratio that marks a ZIP bomb.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EXPANSION = 100  # an Office file expanding more than 100-fold is treated as a ZIP bomb
_OOXML = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
}


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _max_bytes() -> int:
    return int(settings.KAOHE_EVIDENCE_MAX_MB) * 1024 * 1024


def _sniff(head: bytes, stream: Readable) -> tuple[str, str]:
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office(stream)
    raise ValidationError(
        _("This file is not a PDF, image, Word or Excel file (checked on its content).")
    )


def _office(stream: Readable) -> tuple[str, str]:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            packed = sum(i.compress_size for i in infos) or 1
            unpacked = sum(i.file_size for i in infos)
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("This file is damaged and cannot be opened.")) from exc
    if unpacked > max(packed * MAX_EXPANSION, _max_bytes()):
        raise ValidationError(_("This file expands to far more than its size and is refused."))
    if "[Content_Types].xml" in names:
        for part, kind in _OOXML.items():
            if part in names:
                return kind
    raise ValidationError(
        _("This file is not a PDF, image, Word or Excel file (checked on its content).")
    )


def evidence_check(stream: Readable) -> CheckedFile:
    """Type, size and SHA-256 of an uploaded file, or a ValidationError saying what is wrong."""
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        size += len(chunk)
        if size > _max_bytes():
            raise ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": _max_bytes() // (1024 * 1024)}
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("The file is empty."))
    stream.seek(0)
    head = stream.read(16)
    content_type, extension = _sniff(head, stream)
    stream.seek(0)
    return CheckedFile(content_type, extension, size, digest.hexdigest())


#: The most files one report, rectification or appeal may carry.
MAX_FILES = 10


def evidence_check_all(files: Sequence[Any]) -> list[CheckedFile]:
    """``evidence_check`` for each of a set of uploads (at most MAX_FILES), or a ValidationError
    on ``files`` naming the file that is wrong and why."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(n)d files.") % {"n": MAX_FILES}})
    checked = []
    for upload in files:
        try:
            checked.append(evidence_check(upload))
        except ValidationError as exc:
            name = (upload.name or "")[:100]
            raise ValidationError({"files": [f"{name}: {m}" for m in exc.messages]}) from exc
    return checked


def stored_name(check: CheckedFile) -> str:
    """Where a checked file is stored: its hash and the extension of its real type. The
    uploader's file name is kept only for display, never used as a path."""
    return f"{check.sha256}{check.extension}"
