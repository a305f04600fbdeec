"""Request middleware of the org app.

ChineseFirstLocaleMiddleware: Simplified Chinese unless the user chose otherwise. Django's
LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an English
Windows would show English. Kaohe's interface is Chinese first: only the language the
user picked with the switch (kept in the language cookie) changes it.

PasswordChangeRequiredMiddleware: a user with an issued password changes it before anything else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class PasswordChangeRequiredMiddleware:
    """Keep a user whose password an administrator issued on the password page until changed.

    The login view sends such a user there, but a redirect is a suggestion: any other URL
    would still open. This holds on every request instead. Only what choosing a password
    needs stays open: the page itself, logging out, the language switch, static files and the
    health check. An htmx request would follow a 302 inside the page it updates, so it gets
    HX-Redirect, which makes htmx load the password page as a whole.
    Must come after AuthenticationMiddleware (it reads request.user).
    """

    OPEN_URLS = ("org:password", "org:logout", "set_language", "healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not getattr(user, "must_change_password", False)
            or self._open(request)
        ):
            return self.get_response(request)
        target = reverse("org:password")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse("")
            response["HX-Redirect"] = target
            return response
        messages.warning(
            request, _("Your password was issued by an administrator: choose your own.")
        )
        return HttpResponseRedirect(target)

    def _open(self, request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL or "/static/"):
            return True
        # Reversed per request (cached by Django), not at start-up: the URLconf may not be
        # loaded when the middleware is built.
        return request.path in {reverse(name) for name in self.OPEN_URLS}
