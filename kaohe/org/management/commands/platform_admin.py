"""`kaohe platform_admin`: the operator creates the server's own administrators.

A new county has no users, so the first accounts of a server are made here, on the command line
of the machine, by whoever operates it: a platform system administrator (creates counties and
their accounts) and a platform security administrator (grants roles). Two people, so the
separation of powers holds from the first day (docs/access.md, docs/onboarding.md).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.org.access import PLATFORM_ROLES
from kaohe.org.models import Role, User
from kaohe.org.onboarding import initial_password, platform_admin_create


class Command(BaseCommand):
    help = "Create or list the platform administrators (accounts with no county)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a platform administrator")
        create.add_argument("--role", required=True, choices=[Role.SYSADMIN, Role.SECADMIN])
        create.add_argument("--username", required=True)
        create.add_argument("--display-name", default="")
        create.add_argument("--email", default="")
        sub.add_parser("list", help="list the platform administrators")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            admins = User.objects.filter(county__isnull=True, role__in=list(PLATFORM_ROLES))
            for user in admins.order_by("username"):
                state = "active" if user.is_active else "disabled"
                self.stdout.write(f"{user.username}\t{user.role}\t{user.display_name}\t{state}")
            return
        password = initial_password()
        role = Role(options["role"])
        try:
            user = platform_admin_create(
                username=options["username"],
                display_name=options["display_name"] or str(role.label),
                role=role,
                password=password,
                email=options["email"],
                must_change_password=True,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Created {user.username} ({role.value}).")
        # Shown once and stored only hashed: the administrator replaces it at the first login.
        self.stdout.write(
            f"Initial password (shown once, to be changed at first login): {password}"
        )
