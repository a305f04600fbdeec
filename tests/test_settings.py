"""The one settings file: defaults, generated secrets, loud failures, a clean deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "from django.conf import settings as s; "
    "print(s.SECRET_KEY[:12], s.DEBUG, s.DATABASES['default']['ENGINE'])"
)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KAOHE_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(
        [sys.executable, *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "kaohe.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _probe(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(["-c", f"import django; django.setup(); {PROBE}"], env)


def test_with_nothing_set_it_runs_on_sqlite_with_debug_off_and_a_kept_secret(
    tmp_path: Path,
) -> None:
    first = _probe({"KAOHE_DATA_DIR": str(tmp_path)})
    second = _probe({"KAOHE_DATA_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    _key, debug, engine = first.stdout.split()
    assert debug == "False" and engine == "django.db.backends.sqlite3"
    assert second.stdout == first.stdout  # the generated key is kept, not regenerated
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "audit_key").exists()


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    result = _probe(
        {"KAOHE_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@db.example:5432/kaohe"}
    )
    assert result.stdout.split()[2] == "django.db.backends.postgresql"


def test_a_malformed_value_fails_loudly(tmp_path: Path) -> None:
    result = _probe({"KAOHE_DATA_DIR": str(tmp_path), "KAOHE_DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "KAOHE_DEBUG must be a boolean" in result.stderr


def test_the_deploy_check_is_clean_with_production_variables(tmp_path: Path) -> None:
    env = {
        "KAOHE_DATA_DIR": str(tmp_path),
        "KAOHE_SECRET_KEY": "x7!" + "k" * 60 + "Q9#z",
        "KAOHE_AUDIT_KEY": "a" * 64,
        "KAOHE_ALLOWED_HOSTS": "kaohe.example.gov.cn",
        "KAOHE_CSRF_TRUSTED_ORIGINS": "https://kaohe.example.gov.cn",
        "KAOHE_SECURE": "true",
    }
    result = _run(["-m", "kaohe.cli", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
