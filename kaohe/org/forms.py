from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Role, Unit, User
from kaohe.org.services import account_is_locked, login_failed


class LoginForm(AuthenticationForm):
    """Django's login form plus lockout: a locked account is refused before its password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts: this account is locked until %(until)s."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and account_is_locked(user):
            assert user.locked_until is not None
            until = formats.time_format(timezone.localtime(user.locked_until), "H:i")
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"until": until}
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if user is not None and user.is_active:
                user = login_failed(user=user)
                if account_is_locked(user):
                    assert user.locked_until is not None
                    until = formats.time_format(timezone.localtime(user.locked_until), "H:i")
                    raise forms.ValidationError(
                        self.error_messages["locked"], code="locked", params={"until": until}
                    ) from None
            raise


class AccountCreateForm(forms.Form):
    username = forms.SlugField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=64)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)


class AccountRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, county_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(county_id=county_id)  # type: ignore[attr-defined]


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password2"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
