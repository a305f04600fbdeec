"""collectstatic leaves out the vendored builds no page loads; pages still find what they use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings


def test_only_the_echarts_build_pages_load_is_collected(tmp_path: Path, settings: Any) -> None:
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", "--noinput", verbosity=0)
    collected = {p.name for p in (tmp_path / "vendor" / "echarts").iterdir()}
    assert collected == {"echarts.min.js", "package.json"}
    assert finders.find("vendor/echarts/echarts.min.js")
    assert "django.contrib.staticfiles" in settings.INSTALLED_APPS  # the live server serves it
