from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Background tasks run in-process in tests, so their effects can be asserted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """Pages render without a collectstatic manifest (tests/test_static.py checks the real one)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _chinese_first() -> Iterator[None]:
    """Every test starts in the default language, Chinese: a request with the English cookie
    activates English in the thread, and it would otherwise stay for the tests that follow."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def shared_demo(today: Any) -> Any:
    """A module-scoped fixture: the demo county built once for all the tests of a module.

    Building the demo takes most of a minute, so a module builds it once inside a transaction
    that is rolled back when the module ends; each test runs in a savepoint within it (the
    ``db`` fixture), so what one test writes is undone before the next. Use it as
    ``demo = shared_demo(TODAY)`` in the module, and request ``demo`` together with ``db``.
    """

    @pytest.fixture(scope="module")
    def demo(django_db_setup: None, django_db_blocker: Any) -> Any:
        from django.db import transaction
        from django.test.utils import override_settings

        from kaohe.demo.builder import demo_build

        fast = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        )
        with django_db_blocker.unblock(), fast:
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield demo_build(today=today)
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return demo
