"""Evidence files: checked on content, hashed, stored, and served only to those who may see."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from kaohe.audit.models import AuditEvent
from kaohe.reporting.models import Evidence, ProgressReport
from kaohe.reporting.services import report_submit
from tests.factories import UserFactory, World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "招商引资台账"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _submit(world: World, *files: SimpleUploadedFile) -> ProgressReport:
    return report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[9],
        value="500",
        note="附台账",
        files=list(files),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_a_pdf_is_stored_under_its_hash_and_served_to_those_who_may_see(world: World) -> None:
    report = _submit(world, SimpleUploadedFile("台账.pdf", PDF, "application/pdf"))
    evidence = Evidence.objects.get(report=report)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "台账.pdf"
    assert evidence.file.name.endswith(f"{evidence.sha256}.pdf")
    assert AuditEvent.objects.filter(
        action="evidence.attach", after__sha256=evidence.sha256
    ).exists()
    url = reverse("reporting:evidence", args=[evidence.pk])
    for role in ("unit", "assessor", "office", "leader"):
        client = Client()
        client.force_login(world.user(role))
        response = client.get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert "attachment" in response["Content-Disposition"]
    stranger = Client()
    stranger.force_login(UserFactory(county=world.county, role="unit", unit=world.other_town))
    assert stranger.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [("photo.png", PNG), ("台账.xlsx", _xlsx()), ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32)],
)
def test_images_and_office_files_are_accepted_on_their_content(
    world: World, name: str, data: bytes
) -> None:
    _submit(world, SimpleUploadedFile(name, data))
    assert Evidence.objects.get().original_name == name


BAD = [
    ("an executable renamed to .pdf", "evidence.pdf", b"MZ\x90\x00" + b"\x00" * 100),
    ("an ELF binary renamed to .png", "photo.png", b"\x7fELF" + b"\x00" * 100),
    ("a script renamed to .xlsx", "data.xlsx", b"#!/bin/sh\nrm -rf /\n"),
    ("an HTML page renamed to .pdf", "page.pdf", b"<html><script>alert(1)</script></html>"),
    ("a zip that is not an Office file", "data.docx", _zip({"a.txt": b"hello"})),
    ("a damaged zip", "data.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    (
        "a zip bomb",
        "data.xlsx",
        _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"\x00" * (30 * 1024 * 1024)}),
    ),
    ("an empty file", "empty.pdf", b""),
]


@pytest.mark.parametrize(("why", "name", "data"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_refuses_the_whole_submission_and_writes_nothing(
    world: World, why: str, name: str, data: bytes
) -> None:
    good = SimpleUploadedFile("ok.pdf", PDF)
    with pytest.raises(ValidationError) as err:
        _submit(world, good, SimpleUploadedFile(name, data))
    assert name in str(err.value)
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["report.submit", "evidence.attach"]).exists()


def test_a_file_over_the_size_limit_is_refused(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KAOHE_EVIDENCE_MAX_MB = 1
    with pytest.raises(ValidationError, match="1 MB"):
        _submit(world, SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert not ProgressReport.objects.exists()


def test_more_than_ten_files_are_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        _submit(world, *[SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)])


def test_the_form_takes_files_with_the_value(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.user("unit"))
    url = reverse("reporting:fill", args=[world.target.pk, world.months[9].pk])
    response = client.post(
        url, {"value": "12", "note": "", "files": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert Evidence.objects.get().report.value == 12
    bad = client.post(
        url, {"value": "13", "note": "", "files": [SimpleUploadedFile("b.pdf", b"MZ..")]}
    )
    assert bad.status_code == 200 and "b.pdf" in bad.content.decode()
