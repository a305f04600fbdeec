"""`kaohe audit verify`: walk every chain, report the first changed, deleted or inserted event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. verify: check every county's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--chain", help="only this chain (a county code)")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_verify(chain=options["chain"])
        if not problems:
            self.stdout.write(self.style.SUCCESS("audit trail intact"))
            return
        for p in problems:
            self.stdout.write(f"{p.chain}: event {p.seq} {p.kind}: {p.detail}")
        raise CommandError(f"audit trail broken in {len(problems)} chain(s)")
