"""Front-end assets come from the npm lockfile and are served by Kaohe itself (offline)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]


def test_collectstatic_gathers_htmx_2_and_echarts_6_from_node_modules(
    tmp_path: Path, settings: Any
) -> None:
    from kaohe import settings as kaohe_settings

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=kaohe_settings.STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/htmx/htmx.min.js" in manifest
    assert "vendor/echarts/echarts.min.js" in manifest
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/htmx.org"]["version"].startswith("2.")
    assert lock["node_modules/echarts"]["version"].startswith("6.")


def test_no_template_or_script_loads_anything_from_outside_the_server() -> None:
    outside = re.compile(r"""(src|href)=["']https?://""")
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "kaohe").rglob("*.html")
        if outside.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
