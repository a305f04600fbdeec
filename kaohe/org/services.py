"""Writes on the organisation: accounts, roles and login security. Each is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record, snapshot
from kaohe.org.access import ROLES_NEEDING_UNIT, Permission, require
from kaohe.org.models import County, Notification, Role, Unit, User

_ROLE_FIELDS = ["role", "unit", "cadre"]


def _county_code(user: User) -> str | None:
    return user.county.code if user.county is not None else None


@transaction.atomic
def account_create(
    *,
    actor: User,
    username: str,
    display_name: str,
    password: str,
    county: County | None = None,
) -> User:
    """Create an account with no role (the system administrator's power: accounts' existence).

    A role is granted separately by the security administrator (account_set_role).
    """
    require(actor, Permission.ACCOUNT_MANAGE)
    county = county or actor.county
    if county is None or county.pk != actor.county_id:
        raise PermissionDenied(_("Accounts can only be created in your own county."))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, display_name=display_name, county=county)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="account.create",
        county_code=county.code,
        object_type="user",
        object_id=user.pk,
        after={"username": username, "display_name": display_name},
    )
    return user


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool) -> User:
    """Enable or disable an account; nobody can disable their own."""
    require(actor, Permission.ACCOUNT_MANAGE)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change the state of your own account."))
    before = {"is_active": user.is_active}
    user.is_active = active
    if active:
        user.failed_logins = 0
        user.locked_until = None
    user.save(update_fields=["is_active", "failed_logins", "locked_until"])
    audit_record(
        actor=actor,
        action="account.enable" if active else "account.disable",
        county_code=_county_code(user),
        object_type="user",
        object_id=user.pk,
        before=before,
        after={"is_active": active},
    )
    return user


@transaction.atomic
def account_set_role(*, actor: User, user: User, role: str, unit: Unit | None = None) -> User:
    """Grant a role (and the unit that bounds its scope). The security administrator's power.

    Nobody may change their own role, so no administrator can raise their own powers.
    """
    require(actor, Permission.ROLE_ASSIGN)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own role."))
    if user.county_id != actor.county_id:
        raise PermissionDenied(_("This account belongs to another county."))
    if role and role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in ROLES_NEEDING_UNIT and unit is None:
        raise ValidationError({"unit": _("This role needs a unit.")})
    if unit is not None and unit.county_id != user.county_id:
        raise ValidationError({"unit": _("The unit belongs to another county.")})
    before = snapshot(user, _ROLE_FIELDS)
    user.role = role
    user.unit = unit if role in ROLES_NEEDING_UNIT or role == Role.SUPERVISOR else None
    user.save(update_fields=["role", "unit"])
    audit_record(
        actor=actor,
        action="account.role",
        county_code=_county_code(user),
        object_type="user",
        object_id=user.pk,
        before=before,
        after=snapshot(user, _ROLE_FIELDS),
    )
    return user


def account_is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


@transaction.atomic
def login_failed(*, user: User) -> User:
    """Count a failed password; lock the account for a while after too many in a row."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_logins += 1
    locked = user.failed_logins >= settings.KAOHE_LOCKOUT_ATTEMPTS
    if locked:
        user.locked_until = timezone.now() + timedelta(minutes=settings.KAOHE_LOCKOUT_MINUTES)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(
        actor=user,
        action="login.locked" if locked else "login.failed",
        county_code=_county_code(user),
        object_type="user",
        object_id=user.pk,
    )
    return user


@transaction.atomic
def login_succeeded(*, user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = timezone.now()
    user.save(update_fields=["failed_logins", "locked_until", "last_login"])
    audit_record(
        actor=user,
        action="login",
        county_code=_county_code(user),
        object_type="user",
        object_id=user.pk,
    )


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change one's own password after checking the old one against the policy."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    validate_password(new_password, user)
    if new_password == old_password:
        raise ValidationError({"new_password": _("Choose a password other than the current one.")})
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=user,
        action="password.change",
        county_code=_county_code(user),
        object_type="user",
        object_id=user.pk,
    )


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Put a message in each user's inbox (once per key) and e-mail those with an address.

    E-mail goes after the transaction commits, through Django's e-mail backend; a failed e-mail
    never undoes the inbox message.
    """
    created = []
    for user in users:
        if user.county_id is None or not user.is_active:
            continue
        note, made = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "county_id": user.county_id,
                "kind": kind,
                "title": title,
                "body": body,
                "url": url,
            },
        )
        if made:
            created.append(note)
    if created:
        audit_record(
            actor="system",
            action="notification.send",
            county_code=created[0].user.county.code if created[0].user.county else None,
            object_type="notification",
            object_id=key,
            after={"kind": kind, "users": [n.user_id for n in created]},
        )
        recipients = [n.user.email for n in created if n.user.email]
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    title, f"{body}\n\n{url}".strip(), None, recipients, fail_silently=True
                )
            )
    return created


def office_notify(
    *,
    county: County | None,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Tell every active account of the county's performance office (inbox, and e-mail if set).

    The office is the one who acts next on what units send up (target proposals, rectifications,
    appeals, problems); the key makes a repeated call send nothing new.
    """
    if county is None:
        return []
    office = User.objects.filter(county=county, role=Role.OFFICE, is_active=True)
    return notify(users=office, kind=kind, key=key, title=title, body=body, url=url)


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own messages read."""
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
