"""`kaohe bulletins render | verify`: the operators' side of issued bulletins' stored files.

render: draw and store the files of every issued bulletin that has none (bulletins issued before
files were stored); the server does the same through its task worker on a bulletin's first
request, so this is for doing it ahead, e.g. after an upgrade. verify: check every stored file
against its SHA-256 and list those that no longer match (restore them from the backup).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.dashboard.bulletin_files import bulletin_files_verify, bulletins_render_missing
from kaohe.dashboard.models import Bulletin
from kaohe.org.models import County


class Command(BaseCommand):
    help = "Issued bulletins' files. render: draw the missing ones; verify: check their hashes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["render", "verify"])
        parser.add_argument("--county", help="only this county (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        county = None
        if options["county"]:
            county = County.objects.filter(code=options["county"]).first()
            if county is None:
                raise CommandError(f"no county with code {options['county']}")
        if options["action"] == "render":
            drawn = bulletins_render_missing(
                county=county,
                each=lambda b: self.stdout.write(
                    f"{b.county.code} {b.document_number}: "
                    f"PDF {b.pdf_size} bytes sha256 {b.pdf_sha256[:12]}, "
                    f"Excel {b.xlsx_size} bytes sha256 {b.xlsx_sha256[:12]}"
                ),
            )
            self.stdout.write(self.style.SUCCESS(f"{drawn} bulletin(s) drawn and stored"))
            return
        rows = Bulletin.objects.select_related("county").order_by("county__code", "issued_at")
        if county is not None:
            rows = rows.filter(county=county)
        broken = 0
        for bulletin in rows:
            bad = bulletin_files_verify(bulletin)
            if bad:
                broken += 1
                self.stdout.write(
                    f"{bulletin.county.code} {bulletin.document_number}: "
                    f"{', '.join(bad)} no longer match(es) the stored SHA-256"
                )
        if broken:
            raise CommandError(f"{broken} bulletin(s) with changed files")
        self.stdout.write(self.style.SUCCESS("every stored bulletin file matches its hash"))
