"""A user whose password an administrator issued changes it before doing anything else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.org.models import User
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Own-Choice-2026!"


def _issued(world: World, role: str) -> tuple[User, Client]:
    """The account of the role, logged in with an issued password still to change."""
    user = world.user(role)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.parametrize(
    "name", ["dashboard:home", "dashboard:battlemap", "schemes:current", "org:inbox", "jobs:list"]
)
def test_every_page_sends_a_user_with_an_issued_password_to_the_password_page(
    world: World, name: str
) -> None:
    _user, client = _issued(world, "office")
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url == reverse("org:password")
    page = client.get(response.url).content.decode()
    assert "您的密码由管理员发放，请设置您自己的密码。" in page


def test_a_write_is_refused_until_the_password_is_changed(world: World) -> None:
    _user, client = _issued(world, "sysadmin")
    response = client.post(
        reverse("org:account_create"), {"username": "newcomer", "display_name": "新人"}
    )
    assert response.status_code == 302 and response.url == reverse("org:password")
    assert not User.objects.filter(username="newcomer").exists()


def test_an_htmx_request_gets_a_whole_page_redirect_to_the_password_page(world: World) -> None:
    _user, client = _issued(world, "office")
    response = client.get(reverse("dashboard:battlemap"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("org:password")
    assert response.content == b""


def test_the_password_page_logout_language_switch_static_files_and_health_check_stay_open(
    world: World,
) -> None:
    _user, client = _issued(world, "office")
    assert client.get(reverse("org:password")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    language = client.post(reverse("set_language"), {"language": "en", "next": "/password/"})
    assert language.status_code == 302 and language.url == "/password/"
    assert client.get("/static/kaohe/app.css").get("Location") != reverse("org:password")
    logout = client.post(reverse("org:logout"))
    assert logout.status_code == 302 and "_auth_user_id" not in client.session


def test_once_the_password_is_changed_every_page_opens_again(world: World) -> None:
    user, client = _issued(world, "office")
    changed = client.post(
        reverse("org:password"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("dashboard:battlemap")).status_code == 200


def test_a_user_who_chose_their_own_password_is_not_held(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    assert client.get(reverse("dashboard:battlemap")).status_code == 200
