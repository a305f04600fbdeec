"""The demo's platform administrators: the server's own system and security administrators.

They have no county; they see the counties page (the demo county and any county they bring in)
and never its business data. Same published demo password as the county's accounts.
"""

from __future__ import annotations

from kaohe.org.models import Role, User
from kaohe.org.onboarding import platform_admin_create

PLATFORM_ACCOUNTS = [
    ("platform-sys", "平台系统管理员", Role.SYSADMIN),
    ("platform-sec", "平台安全管理员", Role.SECADMIN),
]


def demo_platform(*, password: str) -> list[tuple[str, str, str]]:
    """Create the two platform administrators; returns (user name, role label, "") rows."""
    out = []
    for username, display_name, role in PLATFORM_ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            platform_admin_create(
                username=username, display_name=display_name, role=role, password=password
            )
        out.append((username, str(role.label), ""))
    return out
