"""Kaohe settings: one file, read from environment variables.

With nothing set, Kaohe runs on a SQLite file in the data directory with the database task
backend (the embedded default of ``make demo``). With ``DATABASE_URL`` and friends it runs on
PostgreSQL. Every variable is read through a helper that fails loudly on a malformed value, and
README.md lists them all in one table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(env_str("KAOHE_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _kept_secret(variable: str, filename: str) -> str:
    """The given secret, or one generated into the data directory on first run and kept there."""
    given = env_str(variable)
    if given:
        return given
    path = DATA_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _kept_secret("KAOHE_SECRET_KEY", "secret_key")
# Keys the audit trail's hash chain; kept apart from SECRET_KEY so rotating one leaves the other.
KAOHE_AUDIT_KEY = _kept_secret("KAOHE_AUDIT_KEY", "audit_key")
DEBUG = env_bool("KAOHE_DEBUG", False)
ALLOWED_HOSTS = env_list("KAOHE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KAOHE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "kaohe.org",
    "kaohe.audit",
    "kaohe.documents",
    "kaohe.jobs",
    "kaohe.schemes",
    "kaohe.reporting",
    "kaohe.monitoring",
    "kaohe.results",
    "kaohe.supervision",
    "kaohe.appraisal",
    "kaohe.dashboard",
    "kaohe.exchange",
    "kaohe.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kaohe.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaohe.org.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kaohe.org.middleware.PasswordChangeRequiredMiddleware",  # after auth and messages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kaohe.urls"
WSGI_APPLICATION = "kaohe.wsgi.application"
ASGI_APPLICATION = "kaohe.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kaohe" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kaohe.org.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite in the data directory unless DATABASE_URL names another one.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _default_db: dict[str, Any] = dict(
            dj_database_url.parse(_database_url, conn_max_age=env_int("KAOHE_DB_CONN_MAX_AGE", 60))
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "kaohe.sqlite3",
        # WAL lets the web server and the task worker share the file; IMMEDIATE transactions
        # take the write lock up front, so two writers queue instead of failing mid-transaction.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
_default_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "org:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "org:login"

# Passwords: Argon2 first (等保 level 3 asks for a strong one-way hash).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "kaohe.org.passwords.LengthValidator",
        "OPTIONS": {"min_length": env_int("KAOHE_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kaohe.org.passwords.CharacterClassValidator"},
]
KAOHE_LOCKOUT_ATTEMPTS = env_int("KAOHE_LOCKOUT_ATTEMPTS", 5)
KAOHE_LOCKOUT_MINUTES = env_int("KAOHE_LOCKOUT_MINUTES", 30)
# Largest evidence file accepted, in MB (checked while reading, before anything is stored).
KAOHE_EVIDENCE_MAX_MB = env_int("KAOHE_EVIDENCE_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions: an idle timeout (30 minutes by default) by renewing the cookie on every request.
SESSION_COOKIE_AGE = env_int("KAOHE_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
_secure = env_bool("KAOHE_SECURE", False)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure
SECURE_HSTS_SECONDS = 31536000 if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("KAOHE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Language: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kaohe" / "locale"]
TIME_ZONE = env_str("KAOHE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end libraries come from the npm lockfile (node_modules) and are served by Kaohe itself:
# a government intranet has no internet, so no page loads anything from elsewhere.
STATICFILES_DIRS = [
    BASE_DIR / "kaohe" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STATICFILES_FINDERS = [
    "kaohe.staticfiles.VendorAwareFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# A background job still running this many minutes after it started lost its worker: it is
# marked failed so its page stops waiting and it can be started again.
KAOHE_JOB_TIMEOUT_MINUTES = env_int("KAOHE_JOB_TIMEOUT_MINUTES", 30)

# Background work: the database-backed worker by default; the in-process backend for tests.
_task_backend = env_str("KAOHE_TASK_BACKEND", "database")
TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(_task_backend, _task_backend)
    }
}

EMAIL_BACKEND = env_str("KAOHE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("KAOHE_FROM_EMAIL", "kaohe@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("KAOHE_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO; its warnings (a refused URL) still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
