"""Background jobs of onboarding a county: check the organisation file, import it, grant roles.

``onboarding.check`` reads the whole workbook and lists every problem with its cell, or previews
every row it would write; it writes nothing. Its confirm button starts ``onboarding.import`` on
the same file, which checks it again (the county may have changed in between) and writes
everything in one audited transaction (organisation_import), or nothing. The security
administrator's ``onboarding.roles_check`` and ``onboarding.roles_grant`` do the same for the
roles column of the Accounts sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.exchange.checked_import import job_pair
from kaohe.exchange.org_excel import (
    organisation_from_xlsx,
    organisation_preview,
    roles_from_xlsx,
    roles_preview,
)
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems
from kaohe.org.access import Permission, has_perm
from kaohe.org.models import County, User
from kaohe.org.onboarding import Organisation, RoleGrant, organisation_import, roles_grant

T = TypeVar("T")


def _inputs(ctx: JobContext, permission: Permission) -> tuple[User, County, bytes]:
    user = ctx.user
    if user is None or not has_perm(user, permission):
        raise JobProblems([_("You may not onboard counties.")])
    county = County.objects.filter(pk=int(ctx.params.get("county") or 0), is_hosted=True).first()
    if county is None:
        raise JobProblems([_("The county is not hosted on this server.")])
    content = ctx.input_bytes()
    if content is None:
        raise JobProblems([_("Choose the filled-in file to upload.")])
    return user, county, content


def _county_url(county: County | int) -> str:
    return reverse("onboarding:county", args=[getattr(county, "pk", county)])


def _counts(org: object) -> dict[str, int]:
    return {k: len(getattr(org, k)) for k in ("categories", "units", "cadres", "accounts")}


def _refused(ctx: JobContext, problems: list[str]) -> JobOutcome:
    """A check that found problems: every one listed, no next step, the way back to fix it."""
    return JobOutcome(
        summary=_(
            "The file has problems: fix every cell listed and upload it again. "
            "Nothing has been written."
        ),
        problems=problems,
        url=_county_url(int(ctx.params["county"])),
        url_label=_("Back to the county"),
    )


def _written(write: Callable[[], T]) -> T:
    """Run the service in one transaction; a refusal of the county's data fails the job."""
    try:
        with transaction.atomic():
            return write()
    except ValidationError as exc:
        raise JobProblems([str(m) for m in exc.messages]) from None


@dataclass(frozen=True)
class _Read(Generic[T]):
    user: User
    county: County
    rows: T


def _organisation(ctx: JobContext) -> _Read[Organisation]:
    user, county, content = _inputs(ctx, Permission.COUNTY_MANAGE)
    return _Read(user, county, organisation_from_xlsx(content, county=county))


def _organisation_preview(ctx: JobContext, read: _Read[Organisation]) -> JobOutcome:
    ctx.progress(1, 1, step=_("Checked"))
    return JobOutcome(
        summary=_(
            "%(county)s: %(categories)d categories, %(units)d units, %(cadres)d cadres and "
            "%(accounts)d accounts are ready to import. Nothing has been written yet."
        )
        % {"county": read.county.name, **_counts(read.rows)},
        table=organisation_preview(read.rows),
        data=_counts(read.rows),
    )


def _organisation_write(ctx: JobContext, read: _Read[Organisation]) -> JobOutcome:
    ctx.progress(1, 2, step=_("Writing the organisation"))
    counts = _written(
        lambda: organisation_import(actor=read.user, county=read.county, organisation=read.rows)
    )
    return JobOutcome(
        summary=_(
            "%(county)s: %(categories)d categories, %(units)d units, %(cadres)d cadres and "
            "%(accounts)d accounts imported. The accounts have no role until the security "
            "administrator grants one, and no password until you issue the initial ones."
        )
        % {"county": read.county.name, **counts},
        url=_county_url(read.county),
        url_label=_("Open the county"),
        data=counts,
    )


onboarding_check, onboarding_import = job_pair(
    "onboarding.check",
    "onboarding.import",
    read=_organisation,
    refused=_refused,
    preview=_organisation_preview,
    write=_organisation_write,
    reading=gettext_lazy("Checking the organisation file"),
    confirm_label=gettext_lazy("Import this organisation"),
)


def _roles(ctx: JobContext) -> _Read[list[RoleGrant]]:
    user, county, content = _inputs(ctx, Permission.COUNTY_ROLES)
    return _Read(user, county, roles_from_xlsx(content, county=county))


def _roles_preview(ctx: JobContext, read: _Read[list[RoleGrant]]) -> JobOutcome:
    return JobOutcome(
        summary=_("%(county)s: %(n)d roles are ready to grant. Nothing has been written yet.")
        % {"county": read.county.name, "n": len(read.rows)},
        table=roles_preview(read.rows, county=read.county),
    )


def _roles_write(ctx: JobContext, read: _Read[list[RoleGrant]]) -> JobOutcome:
    changed = _written(lambda: roles_grant(actor=read.user, county=read.county, grants=read.rows))
    return JobOutcome(
        summary=_("%(county)s: %(n)d roles granted (%(same)d were already in place).")
        % {
            "county": read.county.name,
            "n": len(changed),
            "same": len(read.rows) - len(changed),
        },
        url=_county_url(read.county),
        url_label=_("Open the county"),
    )


onboarding_roles_check, onboarding_roles_grant = job_pair(
    "onboarding.roles_check",
    "onboarding.roles_grant",
    read=_roles,
    refused=_refused,
    preview=_roles_preview,
    write=_roles_write,
    reading=gettext_lazy("Checking the roles"),
    confirm_label=gettext_lazy("Grant these roles"),
)
