"""Onboarding a county: the platform administrators' writes (docs/onboarding.md).

A new county has no users, so the server's own administrators (accounts with no county) bring it
in, keeping 等保 level 3's separation of powers one level up: the platform system administrator
creates the county, imports its organisation and creates its accounts without roles, and issues
their initial passwords; the platform security administrator grants the roles. Each service
checks its permission, validates, writes in one transaction and audits.

The rows come as plain data (parsed and checked cell by cell by kaohe/exchange/org_excel.py,
which sits above this layer); the services check again what the database must hold, so a caller
that skipped the file check still cannot write an inconsistent organisation.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.org.access import PLATFORM_ROLES, ROLES_NEEDING_UNIT, Permission, require
from kaohe.org.models import Cadre, Category, County, Role, Unit, UnitKind, User


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kind: str
    category: str | None
    parent: str | None
    assessed: bool
    assessing: bool
    supervision: bool


@dataclass(frozen=True)
class CadreRow:
    code: str
    name: str
    unit: str | None
    post: str
    rank: str
    county_leader: bool
    portfolio: str


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    email: str
    unit: str | None
    cadre: str | None
    # The role the security administrator is to grant; the import itself grants none.
    role: str


@dataclass(frozen=True)
class Organisation:
    categories: tuple[CategoryRow, ...] = ()
    units: tuple[UnitRow, ...] = ()
    cadres: tuple[CadreRow, ...] = ()
    accounts: tuple[AccountRow, ...] = ()


@dataclass(frozen=True)
class RoleGrant:
    username: str
    role: str
    unit: str | None


COUNTY_FIELDS = ("code", "name", "prefecture", "prefecture_code", "province", "short_name")


@transaction.atomic
def county_create(
    *,
    actor: User,
    code: str,
    name: str,
    prefecture: str,
    prefecture_code: str,
    province: str,
    short_name: str = "",
) -> County:
    """Create a hosted county (the platform system administrator's power); it starts empty.

    A county already known as a peer (ranked against, not hosted) becomes hosted, keeping its
    statistics, rather than being refused for its code; a demo peer (synthetic) is refused.
    """
    require(actor, Permission.COUNTY_MANAGE)
    values = {
        "code": code.strip(),
        "name": name.strip(),
        "prefecture": prefecture.strip(),
        "prefecture_code": prefecture_code.strip(),
        "province": province.strip(),
        "short_name": short_name.strip(),
    }
    errors: dict[str, str] = {}
    for field in COUNTY_FIELDS:
        limit = getattr(County._meta.get_field(field), "max_length", None)
        if field != "short_name" and not values[field]:
            errors[field] = _("This field is required.")
        elif limit is not None and len(values[field]) > limit:
            errors[field] = _("At most %(n)d characters.") % {"n": limit}
    existing = County.objects.select_for_update().filter(code=values["code"]).first()
    if existing is not None and existing.is_hosted:
        errors["code"] = _("A county with this code is already hosted.")
    elif existing is not None and existing.is_demo:
        # A demo peer's statistics are synthetic: a real county must not inherit them, nor the
        # demo label on every page.
        errors["code"] = _(
            "This code belongs to a demo comparison county with synthetic figures; "
            "a real county cannot take it over on a demo server."
        )
    if errors:
        raise ValidationError(errors)
    county = existing or County()
    for field, value in values.items():
        setattr(county, field, value)
    county.is_hosted = True
    county.save()
    audit_record(
        actor=actor,
        action="county.create",
        county_code=county.code,
        object_type="county",
        object_id=county.pk,
        after={**values, "was_peer": existing is not None},
    )
    return county


@transaction.atomic
def platform_admin_create(
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a platform administrator (no county): the operator's command and the demo call it.

    Only the system and security administrators exist at the platform level; the audit
    administrator of each county reads that county's chain.
    """
    if role not in PLATFORM_ROLES:
        raise ValidationError({"role": _("A platform administrator is a system or security one.")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    if email:
        validate_email(email)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        email=email,
        must_change_password=must_change_password,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor="operator",
        action="platform_admin.create",
        county_code=None,
        object_type="user",
        object_id=user.pk,
        after={"username": username, "role": role},
    )
    return user


def _problem(message: str) -> ValidationError:
    return ValidationError(message)


def _check_organisation(county: County, org: Organisation) -> None:
    """What the database must hold, checked against the county's existing rows too."""
    problems: list[ValidationError] = []
    categories = {c.code: c.kind for c in Category.objects.filter(county=county)}
    units = set(Unit.objects.filter(county=county).values_list("code", flat=True))
    cadres = set(Cadre.objects.filter(county=county).values_list("code", flat=True))
    for row in org.categories:
        if row.code in categories:
            problems.append(_problem(_("Category %(code)s exists already.") % {"code": row.code}))
        if row.kind not in UnitKind.values:
            problems.append(_problem(_("Unknown kind %(kind)s.") % {"kind": row.kind}))
        categories[row.code] = row.kind
    for urow in org.units:
        if urow.code in units:
            problems.append(_problem(_("Unit %(code)s exists already.") % {"code": urow.code}))
        units.add(urow.code)
    for urow in org.units:
        if urow.category and urow.category not in categories:
            problems.append(_problem(_("Unknown category %(code)s.") % {"code": urow.category}))
        if urow.parent and (urow.parent not in units or urow.parent == urow.code):
            problems.append(_problem(_("Unknown parent unit %(code)s.") % {"code": urow.parent}))
    for crow in org.cadres:
        if crow.code in cadres:
            problems.append(_problem(_("Cadre %(code)s exists already.") % {"code": crow.code}))
        if crow.unit and crow.unit not in units:
            problems.append(_problem(_("Unknown unit %(code)s.") % {"code": crow.unit}))
        cadres.add(crow.code)
    taken = set(
        User.objects.filter(username__in=[a.username for a in org.accounts]).values_list(
            "username", flat=True
        )
    )
    for arow in org.accounts:
        if arow.username in taken:
            problems.append(_problem(_("User name %(name)s is taken.") % {"name": arow.username}))
        taken.add(arow.username)
        if arow.unit and arow.unit not in units:
            problems.append(_problem(_("Unknown unit %(code)s.") % {"code": arow.unit}))
        if arow.cadre and arow.cadre not in cadres:
            problems.append(_problem(_("Unknown cadre %(code)s.") % {"code": arow.cadre}))
    if problems:
        raise ValidationError(problems)


def parent_cycles(parent_of: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle of parent links once, each from its unit listed first, child to parent.

    parent_of maps a unit's code to its parent's; None, or a code that is not a key, ends the
    chain. A unit that is its own parent is a cycle of one. A unit that only leads into a cycle
    is not part of it. Pure: both the file check and the import service call it, and it runs in
    time linear in the number of units (each unit is walked once).
    """
    order = {code: i for i, code in enumerate(parent_of)}
    cycles: list[list[str]] = []
    walked: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        at: dict[str, int] = {}
        code: str | None = start
        while code is not None and code in order and code not in walked and code not in at:
            at[code] = len(path)
            path.append(code)
            code = parent_of[code]
        if code is not None and code in at:
            cycle = path[at[code] :]
            first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
            cycles.append(cycle[first:] + cycle[:first])
        walked.update(path)
    return cycles


def _parents_without_cycle(rows: Iterable[UnitRow]) -> None:
    cycles = parent_cycles({r.code: r.parent for r in rows if r.parent})
    if cycles:
        raise ValidationError(
            [
                _problem(_("Unit %(code)s is its own parent (a cycle).") % {"code": cycle[0]})
                for cycle in cycles
            ]
        )


@transaction.atomic
def organisation_import(
    *, actor: User, county: County, organisation: Organisation
) -> dict[str, int]:
    """Write a county's categories, units, cadres and accounts, all of them or none.

    Accounts are created without a role and without a usable password: the security
    administrator grants the roles (roles_grant) and the system administrator issues the initial
    passwords (initial_passwords_issue), so neither alone makes an account that can act.
    """
    require(actor, Permission.COUNTY_MANAGE)
    county = County.objects.select_for_update().get(pk=county.pk)
    if not county.is_hosted:
        raise ValidationError(_("This county is not hosted on this server."))
    _check_organisation(county, organisation)
    _parents_without_cycle(organisation.units)
    categories = {c.code: c for c in Category.objects.filter(county=county)}
    new_categories = [
        Category(county=county, code=r.code, name=r.name, kind=r.kind)
        for r in organisation.categories
    ]
    Category.objects.bulk_create(new_categories)
    categories.update({c.code: c for c in Category.objects.filter(county=county)})
    Unit.objects.bulk_create(
        Unit(
            county=county,
            code=r.code,
            name=r.name,
            kind=r.kind,
            category=categories[r.category] if r.category else None,
            is_assessed=r.assessed,
            is_assessing=r.assessing,
            is_supervision=r.supervision,
        )
        for r in organisation.units
    )
    units = {u.code: u for u in Unit.objects.filter(county=county)}
    parented = []
    for r in organisation.units:
        if r.parent:
            unit = units[r.code]
            unit.parent = units[r.parent]
            parented.append(unit)
    Unit.objects.bulk_update(parented, ["parent"])
    Cadre.objects.bulk_create(
        Cadre(
            county=county,
            code=d.code,
            name=d.name,
            unit=units[d.unit] if d.unit else None,
            post=d.post,
            rank=d.rank,
            is_county_leader=d.county_leader,
            portfolio=d.portfolio,
        )
        for d in organisation.cadres
    )
    cadres = {c.code: c for c in Cadre.objects.filter(county=county)}
    accounts = []
    for a in organisation.accounts:
        user = User(
            username=a.username,
            display_name=a.display_name,
            email=a.email,
            county=county,
            unit=units[a.unit] if a.unit else None,
            cadre=cadres[a.cadre] if a.cadre else None,
        )
        user.set_unusable_password()
        accounts.append(user)
    User.objects.bulk_create(accounts)
    counts = {
        "categories": len(organisation.categories),
        "units": len(organisation.units),
        "cadres": len(organisation.cadres),
        "accounts": len(organisation.accounts),
    }
    audit_record(
        actor=actor,
        action="organisation.import",
        county_code=county.code,
        object_type="county",
        object_id=county.pk,
        after={
            **counts,
            "category_codes": [r.code for r in organisation.categories],
            "unit_codes": [r.code for r in organisation.units],
            "cadre_codes": [r.code for r in organisation.cadres],
        },
    )
    # Accounts are what a security audit follows one by one: one event each. The codes come
    # from the rows, not from user.unit / user.cadre, which would cost two queries an account.
    row_of = {a.username: a for a in organisation.accounts}
    for user in User.objects.filter(county=county, username__in=list(row_of)):
        row = row_of[user.username]
        audit_record(
            actor=actor,
            action="account.create",
            county_code=county.code,
            object_type="user",
            object_id=user.pk,
            after={
                "username": user.username,
                "display_name": user.display_name,
                "email": user.email,
                "unit": row.unit or None,
                "cadre": row.cadre or None,
            },
        )
    return counts


@transaction.atomic
def roles_grant(*, actor: User, county: County, grants: Iterable[RoleGrant]) -> list[User]:
    """Grant each listed account of the county its role and unit (platform security admin).

    Every grant is checked before any is written; an account whose role and unit are already
    those listed is left alone. Returns the accounts changed.
    """
    require(actor, Permission.COUNTY_ROLES)
    grants = list(grants)
    accounts = {
        u.username: u
        for u in User.objects.select_for_update().filter(
            county=county, username__in=[g.username for g in grants]
        )
    }
    units = {u.code: u for u in Unit.objects.filter(county=county)}
    # The unit before the grant is named from this map, not by loading user.unit per account.
    code_of = {u.pk: code for code, u in units.items()}
    problems = []
    for g in grants:
        if g.username not in accounts:
            problems.append(_("%(name)s is not an account of this county.") % {"name": g.username})
        if g.role and g.role not in Role.values:
            problems.append(_("Unknown role %(role)s.") % {"role": g.role})
        if g.unit and g.unit not in units:
            problems.append(_("Unknown unit %(code)s.") % {"code": g.unit})
        if g.role in ROLES_NEEDING_UNIT and not g.unit:
            problems.append(_("The role of %(name)s needs a unit.") % {"name": g.username})
    if problems:
        raise ValidationError(problems)
    changed = []
    for g in grants:
        user = accounts[g.username]
        unit = units[g.unit] if g.unit else None
        if user.role == g.role and user.unit_id == (unit.pk if unit else None):
            continue
        before = {"role": user.role, "unit": code_of.get(user.unit_id) if user.unit_id else None}
        user.role, user.unit = g.role, unit
        user.save(update_fields=["role", "unit"])
        audit_record(
            actor=actor,
            action="account.role",
            county_code=county.code,
            object_type="user",
            object_id=user.pk,
            before=before,
            after={"role": g.role, "unit": g.unit},
        )
        changed.append(user)
    return changed


# No 0/O, 1/l/I: an initial password is read off a sheet of paper and typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def initial_password() -> str:
    """A random password meeting the policy: four groups of four, one of each class."""
    while True:
        groups = ["".join(secrets.choice(_ALPHABET) for _i in range(4)) for _g in range(4)]
        candidate = "-".join(groups)
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
        ):
            return candidate


@transaction.atomic
def initial_passwords_issue(*, actor: User, county: County) -> list[tuple[User, str]]:
    """Give every active account of the county that has no password a one-time initial one.

    The passwords are returned to be shown once to the system administrator and are stored
    only hashed; the audit event records that a password was issued, never the password. At
    its first login the user is sent to choose their own (User.must_change_password).
    """
    require(actor, Permission.COUNTY_MANAGE)
    issued = []
    for user in User.objects.select_for_update().filter(county=county, is_active=True):
        if user.has_usable_password():
            continue
        password = initial_password()
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=actor,
            action="password.issue",
            county_code=county.code,
            object_type="user",
            object_id=user.pk,
            after={"username": user.username},
        )
        issued.append((user, password))
    return issued
