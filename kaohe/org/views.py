"""Login, accounts and roles. Views parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.org import selectors, services
from kaohe.org.access import Permission, is_platform_admin, login_only, permission_required
from kaohe.org.forms import (
    AccountCreateForm,
    AccountRoleForm,
    LoginForm,
    PasswordChangeForm,
    add_service_errors,
)
from kaohe.org.models import Notification, User


class KaoheLoginView(LoginView):
    form_class = LoginForm
    template_name = "org/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        services.login_succeeded(user=user)
        if user.must_change_password:
            # An administrator issued this password: the user replaces it before working.
            messages.warning(
                self.request, _("Your password was issued by an administrator: choose your own.")
            )
            return redirect("org:password")
        return redirect(self.get_success_url())


@login_only
def accounts(request: HttpRequest) -> HttpResponse:
    """The county's accounts; a platform administrator's accounts live on the counties pages."""
    if is_platform_admin(request.user):
        return redirect("onboarding:counties")
    return _county_accounts(request)


@permission_required(Permission.ACCOUNT_LIST)
def _county_accounts(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "org/accounts.html",
        {
            "accounts": selectors.account_list(user=user),
            "can_manage": user.role == "sysadmin",
            "can_assign": user.role == "secadmin",
        },
    )


@permission_required(Permission.ACCOUNT_MANAGE)
def account_create(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Account created. The security administrator grants it a role.")
            )
            return redirect("org:accounts")
    return render(request, "org/account_form.html", {"form": form, "title": _("New account")})


@require_POST
@permission_required(Permission.ACCOUNT_MANAGE)
def account_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = selectors.account_get(user=actor, pk=pk)
    services.account_set_active(actor=actor, user=target, active=not target.is_active)
    messages.success(request, _("Account updated."))
    return redirect("org:accounts")


@permission_required(Permission.ROLE_ASSIGN)
def account_role(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = selectors.account_get(user=actor, pk=pk)
    if target.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own role."))
    initial = {"role": target.role, "unit": target.unit_id}
    assert actor.county_id is not None
    form = AccountRoleForm(request.POST or None, initial=initial, county_id=actor.county_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_role(
                actor=actor,
                user=target,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Role updated."))
            return redirect("org:accounts")
    return render(
        request,
        "org/account_form.html",
        {"form": form, "title": _("Role of %(name)s") % {"name": target}},
    )


@login_only
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed."))
            return redirect("dashboard:home")
    return render(request, "org/account_form.html", {"form": form, "title": _("Change password")})


@login_only
def inbox(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    notes = Notification.objects.filter(user=user).order_by("-created_at")[:200]
    return render(request, "org/inbox.html", {"notes": notes})


@require_POST
@login_only
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's own message read and open what it points to (404 for anyone else's)."""
    user: User = request.user  # type: ignore[assignment]
    note = Notification.objects.filter(user=user, pk=pk).first()
    if note is None:
        raise Http404
    services.notification_read(user=user, notification=note)
    return redirect(
        note.url if url_has_allowed_host_and_scheme(note.url, None) and note.url else "org:inbox"
    )
