"""The counties pages of the platform administrators: create a county, import its organisation
from the Excel template (checked, previewed, then imported by background jobs), issue initial
passwords, and grant roles from the same file (docs/onboarding.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.exchange.org_template import org_template
from kaohe.exchange.uploads import download, upload_job_start
from kaohe.exchange.workbook import MAX_BYTES, XLSX
from kaohe.org.access import Permission, has_perm, permission_required
from kaohe.org.forms import add_service_errors
from kaohe.org.models import County, User
from kaohe.org.onboarding import county_create, initial_passwords_issue
from kaohe.org.selectors import county_accounts


class CountyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Division code"), max_length=12)
    name = forms.CharField(label=gettext_lazy("County name"), max_length=64)
    short_name = forms.CharField(
        label=gettext_lazy("Short name (prefix of document numbers)"),
        max_length=8,
        required=False,
    )
    prefecture = forms.CharField(label=gettext_lazy("Prefecture"), max_length=64)
    prefecture_code = forms.CharField(label=gettext_lazy("Prefecture code"), max_length=12)
    province = forms.CharField(label=gettext_lazy("Province"), max_length=64)


def _hosted() -> QuerySet[County]:
    return County.objects.filter(is_hosted=True)


def _county(pk: int) -> County:
    county = _hosted().filter(pk=pk).first()
    if county is None:
        raise Http404
    return county


@permission_required(Permission.COUNTY_LIST)
def counties(request: HttpRequest) -> HttpResponse:
    rows = _hosted().annotate(
        n_units=Count("units", distinct=True), n_users=Count("users", distinct=True)
    )
    return render(
        request,
        "exchange/onboarding/counties.html",
        {"counties": rows, "can_manage": has_perm(request.user, Permission.COUNTY_MANAGE)},
    )


@permission_required(Permission.COUNTY_MANAGE)
def county_new(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = CountyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            county = county_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s created. Download the template, fill it in and upload it.")
                % {"name": county.name},
            )
            return redirect("onboarding:county", county.pk)
    return render(request, "exchange/onboarding/county_form.html", {"form": form})


@permission_required(Permission.COUNTY_LIST)
def county(request: HttpRequest, pk: int) -> HttpResponse:
    place = _county(pk)
    accounts = county_accounts(
        user=request.user,  # type: ignore[arg-type]
        county=place,
        page=request.GET.get("page"),
    )
    counts = place.units.aggregate(
        units=Count("pk"),
        townships=Count("pk", filter=Q(kind="township", is_assessed=True)),
        departments=Count("pk", filter=Q(kind="department", is_assessed=True)),
    )
    return render(
        request,
        "exchange/onboarding/county.html",
        {
            "county": place,
            "accounts": accounts.page,
            "n_accounts": accounts.total,
            "counts": counts,
            "categories": place.categories.annotate(n=Count("units")),
            "cadres": place.cadres.count(),
            "without_password": accounts.without_password,
            "can_manage": has_perm(request.user, Permission.COUNTY_MANAGE),
            "can_grant": has_perm(request.user, Permission.COUNTY_ROLES),
            "max_mb": MAX_BYTES // 1048576,
        },
    )


@permission_required(Permission.COUNTY_LIST)
def template(request: HttpRequest) -> HttpResponse:
    return download(org_template(), name="组织机构导入模板.xlsx", content_type=XLSX)


def _start(request: HttpRequest, pk: int, *, kind: str, label: str) -> HttpResponse:
    place = _county(pk)
    try:
        job = upload_job_start(
            request,
            kind=kind,
            label=label % {"county": place.name},
            params={"county": place.pk},
            max_bytes=MAX_BYTES,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("onboarding:county", place.pk)
    return redirect(job)


@require_POST
@permission_required(Permission.COUNTY_MANAGE)
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _start(
        request, pk, kind="onboarding.check", label=_("Check the organisation of %(county)s")
    )


@require_POST
@permission_required(Permission.COUNTY_ROLES)
def roles_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _start(
        request, pk, kind="onboarding.roles_check", label=_("Check the roles of %(county)s")
    )


@require_POST
@permission_required(Permission.COUNTY_MANAGE)
def passwords(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the initial passwords and show them this once: they are stored only hashed."""
    place = _county(pk)
    issued = initial_passwords_issue(actor=request.user, county=place)  # type: ignore[arg-type]
    if not issued:
        messages.info(request, _("Every active account of this county has a password already."))
        return redirect("onboarding:county", place.pk)
    response = render(
        request, "exchange/onboarding/passwords.html", {"county": place, "issued": issued}
    )
    response["Cache-Control"] = "no-store"
    return response
