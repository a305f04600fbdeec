"""Background jobs of onboarding a county: check the organisation file, import it, grant roles.

``onboarding.check`` reads the whole workbook and lists every problem with its cell, or previews
every row it would write; it writes nothing. Its confirm button starts ``onboarding.import`` on
the same file, which checks it again (the county may have changed in between) and writes
everything in one audited transaction (organisation_import), or nothing. The security
administrator's ``onboarding.roles_check`` and ``onboarding.roles_grant`` do the same for the
roles column of the Accounts sheet.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kaohe.exchange.org_excel import (
    OrgFileError,
    organisation_from_xlsx,
    organisation_preview,
    roles_from_xlsx,
    roles_preview,
)
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, job_kind
from kaohe.org.access import Permission, has_perm
from kaohe.org.models import County, User
from kaohe.org.onboarding import organisation_import, roles_grant


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


def _county_url(county: County) -> str:
    return reverse("onboarding:county", args=[county.pk])


def _counts(org: object) -> dict[str, int]:
    return {k: len(getattr(org, k)) for k in ("categories", "units", "cadres", "accounts")}


def _refused(county: County, exc: OrgFileError) -> JobOutcome:
    """A check that found problems: every one listed, no next step, the way back to fix it."""
    return JobOutcome(
        summary=_(
            "The file has problems: fix every cell listed and upload it again. "
            "Nothing has been written."
        ),
        problems=exc.lines(),
        url=_county_url(county),
        url_label=_("Back to the county"),
    )


@job_kind("onboarding.check")
def onboarding_check(ctx: JobContext) -> JobOutcome:
    """Check an organisation file for a county and preview it; writes nothing."""
    _user, county, content = _inputs(ctx, Permission.COUNTY_MANAGE)
    ctx.progress(0, 1, step=_("Checking the organisation file"))
    try:
        org = organisation_from_xlsx(content, county=county)
    except OrgFileError as exc:
        return _refused(county, exc)
    ctx.progress(1, 1, step=_("Checked"))
    return JobOutcome(
        summary=_(
            "%(county)s: %(categories)d categories, %(units)d units, %(cadres)d cadres and "
            "%(accounts)d accounts are ready to import. Nothing has been written yet."
        )
        % {"county": county.name, **_counts(org)},
        table=organisation_preview(org),
        confirm_kind="onboarding.import",
        confirm_label=_("Import this organisation"),
        data=_counts(org),
    )


@job_kind("onboarding.import")
def onboarding_import(ctx: JobContext) -> JobOutcome:
    """Check the file again and write the whole organisation in one transaction, or nothing."""
    user, county, content = _inputs(ctx, Permission.COUNTY_MANAGE)
    ctx.progress(0, 2, step=_("Checking the organisation file"))
    try:
        org = organisation_from_xlsx(content, county=county)
    except OrgFileError as exc:
        raise JobProblems(exc.lines()) from None
    ctx.progress(1, 2, step=_("Writing the organisation"))
    try:
        with transaction.atomic():
            counts = organisation_import(actor=user, county=county, organisation=org)
    except ValidationError as exc:
        raise JobProblems([str(m) for m in exc.messages]) from None
    return JobOutcome(
        summary=_(
            "%(county)s: %(categories)d categories, %(units)d units, %(cadres)d cadres and "
            "%(accounts)d accounts imported. The accounts have no role until the security "
            "administrator grants one, and no password until you issue the initial ones."
        )
        % {"county": county.name, **counts},
        url=_county_url(county),
        url_label=_("Open the county"),
        data=counts,
    )


@job_kind("onboarding.roles_check")
def onboarding_roles_check(ctx: JobContext) -> JobOutcome:
    """Check the roles of the Accounts sheet against the county's accounts; writes nothing."""
    _user, county, content = _inputs(ctx, Permission.COUNTY_ROLES)
    try:
        grants = roles_from_xlsx(content, county=county)
    except OrgFileError as exc:
        return _refused(county, exc)
    return JobOutcome(
        summary=_("%(county)s: %(n)d roles are ready to grant. Nothing has been written yet.")
        % {"county": county.name, "n": len(grants)},
        table=roles_preview(grants, county=county),
        confirm_kind="onboarding.roles_grant",
        confirm_label=_("Grant these roles"),
    )


@job_kind("onboarding.roles_grant")
def onboarding_roles_grant(ctx: JobContext) -> JobOutcome:
    """Check the roles again and grant them all in one transaction, or none."""
    user, county, content = _inputs(ctx, Permission.COUNTY_ROLES)
    try:
        grants = roles_from_xlsx(content, county=county)
    except OrgFileError as exc:
        raise JobProblems(exc.lines()) from None
    try:
        with transaction.atomic():
            changed = roles_grant(actor=user, county=county, grants=grants)
    except ValidationError as exc:
        raise JobProblems([str(m) for m in exc.messages]) from None
    return JobOutcome(
        summary=_("%(county)s: %(n)d roles granted (%(same)d were already in place).")
        % {"county": county.name, "n": len(changed), "same": len(grants) - len(changed)},
        url=_county_url(county),
        url_label=_("Open the county"),
    )
