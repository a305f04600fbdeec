"""Both languages complete: every message of the interface has a Chinese translation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "kaohe" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    po = _catalogue()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert missing == [] and fuzzy == []


def test_the_catalogue_knows_every_message_the_source_uses(tmp_path: Path) -> None:
    """makemessages over a copy of the source finds no message the committed catalogue lacks."""
    copy = tmp_path / "kaohe"
    shutil.copytree(ROOT / "kaohe", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env=env,
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in _catalogue() if not e.obsolete}
    new = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert new == [], "run `make messages-update` and translate the new messages"


@pytest.mark.django_db
def test_the_login_page_is_chinese_by_default_and_english_when_chosen() -> None:
    client = Client()
    page = client.get(reverse("org:login")).content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("org:login")).content.decode()
    assert "Log in to Kaohe" in page and 'lang="en"' in page
    translation.activate("zh-hans")


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches() -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "登录考核系统" in client.get(reverse("org:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Log in to Kaohe" in client.get(reverse("org:login")).content.decode()
