"""Login security: Argon2, password policy, lockout, idle timeout, separated admin powers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.org.services import account_create, account_set_role
from tests.factories import PASSWORD, World


def test_passwords_are_hashed_with_argon2(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    from kaohe import settings as kaohe_settings

    settings.PASSWORD_HASHERS = kaohe_settings.PASSWORD_HASHERS
    user = world.user("unit")
    user.set_password("Another-Pass-2026")
    assert user.password.startswith("argon2")


@pytest.mark.parametrize("weak", ["short1A!", "abcdefghijkl", "1234567890123", "password123"])
def test_the_password_policy_refuses_weak_passwords(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_the_account_locks_after_repeated_failures(world: World, client) -> None:  # type: ignore[no-untyped-def]
    user = world.user("unit")
    url = reverse("org:login")
    for _ in range(settings.KAOHE_LOCKOUT_ATTEMPTS):
        client.post(url, {"username": user.username, "password": "wrong-Password-1"})
    user.refresh_from_db()
    assert user.locked_until is not None
    # Even the right password is refused while locked.
    page = client.post(url, {"username": user.username, "password": PASSWORD})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.locked", object_id=str(user.pk)).exists()


def test_a_good_login_resets_the_counter_and_is_audited(world: World, client) -> None:  # type: ignore[no-untyped-def]
    user = world.user("unit")
    client.post(reverse("org:login"), {"username": user.username, "password": "wrong-Password-1"})
    response = client.post(reverse("org:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0
    assert AuditEvent.objects.filter(action="login", object_id=str(user.pk)).exists()


def test_a_session_ends_after_thirty_idle_minutes(world: World, client) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(
        reverse("org:login"), {"username": world.user("office").username, "password": PASSWORD}
    )
    assert client.get(reverse("dashboard:battlemap")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes the expiry 30 minutes ahead of that request.
    assert session.expire_date - timezone.now() > timedelta(minutes=29)
    assert session.expire_date - timezone.now() <= timedelta(minutes=30)
    # Activity renews it: a session about to expire is pushed 30 minutes ahead again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(reverse("dashboard:battlemap")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=29)
    # Idle past the expiry: the next request goes to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard:battlemap"))
    assert response.status_code == 302 and response.url.startswith(reverse("org:login"))
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_the_system_administrator_creates_accounts_but_grants_no_roles(world: World) -> None:
    sysadmin = world.user("sysadmin")
    new = account_create(
        actor=sysadmin, username="newclerk", display_name="新职员", password="Xq7-long-pass"
    )
    assert new.role == ""
    with pytest.raises(PermissionDenied):
        account_set_role(actor=sysadmin, user=new, role="office")
    with pytest.raises(PermissionDenied):
        account_set_role(actor=sysadmin, user=sysadmin, role="office")


def test_the_security_administrator_grants_roles_but_not_to_itself(world: World) -> None:
    secadmin = world.user("secadmin")
    leader = world.user("leader")
    account_set_role(actor=secadmin, user=leader, role="office")
    leader.refresh_from_db()
    assert leader.role == "office"
    with pytest.raises(PermissionDenied):
        account_set_role(actor=secadmin, user=secadmin, role="office")
    with pytest.raises(ValidationError):
        account_set_role(actor=secadmin, user=leader, role="unit", unit=None)
    event = AuditEvent.objects.get(action="account.role", object_id=str(leader.pk))
    assert event.before == {"role": "leader", "unit": None, "cadre": None}


def test_the_security_administrator_sees_no_business_data(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.user("secadmin"))
    assert client.get(reverse("dashboard:battlemap")).status_code == 403
    assert client.get(reverse("audit:log")).status_code == 403


def test_the_audit_administrator_reads_the_log_and_can_change_nothing(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.user("auditadmin"))
    assert client.get(reverse("audit:log")).status_code == 200
    assert client.get(reverse("audit:log") + "?verify=1").context["problems"] == []
    assert client.get(reverse("org:accounts")).status_code == 403
    assert (
        client.post(reverse("org:account_toggle", args=[world.user("unit").pk])).status_code == 403
    )
