"""Shared by the exchange tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """Several tests read the pages in English (the language cookie); the language a request
    activates stays active in the thread, so it is put back afterwards: the tests that run
    next, here or in other folders, read Chinese as they expect."""
    with translation.override(translation.get_language()):
        yield
