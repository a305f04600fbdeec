"""The appraisal's background jobs: computing a round in the worker, with its progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from kaohe.appraisal.services import round_prepare, round_store
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, job_kind
from kaohe.schemes.models import Scheme

COMPUTE = "appraisal.compute"


@job_kind(COMPUTE)
def round_compute_job(ctx: JobContext) -> JobOutcome:
    """Compute a round (params: scheme, kind, number) as the office user who started it: the
    snapshot is gathered and scored outside any transaction, so the page shows each step, and
    the results are written in one audited transaction at the end."""
    user = ctx.user
    if user is None:
        raise JobProblems([_("A round is computed by an office user.")])
    scheme = Scheme.objects.filter(
        pk=int(ctx.params.get("scheme") or 0), county_id=user.county_id or 0
    ).first()
    if scheme is None:
        raise JobProblems([_("The scheme of this round no longer exists.")])
    try:
        draft = round_prepare(
            user=user,
            scheme=scheme,
            kind=str(ctx.params.get("kind", "")),
            number=int(ctx.params.get("number") or 0),
            progress=ctx.progress,
        )
        ctx.progress(2, 3, _("Saving the results"))
        rnd = round_store(user=user, draft=draft)
    except PermissionDenied as exc:
        raise JobProblems([_("You may not compute rounds.")]) from exc
    except ValidationError as exc:
        raise JobProblems([str(m) for m in exc.messages]) from exc
    ctx.progress(3, 3, _("Done"))
    if rnd.provisional:
        summary = _(
            "%(units)d units scored. The period has not ended: this is a provisional preview, "
            "which can be neither published nor applied."
        ) % {"units": len(draft.results["units"])}
    else:
        summary = _("%(units)d units scored from confirmed data.") % {
            "units": len(draft.results["units"])
        }
    return JobOutcome(
        summary=summary,
        url=reverse("appraisal:round", args=[rnd.pk]),
        url_label=_("Open the round"),
    )
