"""Settings for Roundtable, read from the environment.

One module for every deployment, in the manner of healthchecks: defaults give
a working SQLite demo; production sets ``ROUNDTABLE_PRODUCTION=1`` plus the
variables documented in docs/operator-guide.md. A secret may also be given in
a file named by ``<NAME>_FILE`` (Docker and systemd credentials).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("ROUNDTABLE_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("ROUNDTABLE_VAR_DIR", BASE_DIR / "var")).resolve()


def env(name: str, default: str | None = None) -> str | None:
    """Read ``name`` from the environment, or from the file ``name_FILE`` names."""
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def _secret_key() -> str:
    """The configured key, or one generated once into var/ (never committed)."""
    configured = env("ROUNDTABLE_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Exclusive create: two processes starting together must agree on one key.
    try:
        with open(key_file, "x", encoding="utf-8") as handle:
            handle.write(key)
        key_file.chmod(0o600)
    except FileExistsError:
        key = key_file.read_text(encoding="utf-8").strip()
    return key


PRODUCTION = env_bool("ROUNDTABLE_PRODUCTION")
DEBUG = env_bool("ROUNDTABLE_DEBUG", default=False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ROUNDTABLE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ROUNDTABLE_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = (env("ROUNDTABLE_SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
SITE_NAME = env("ROUNDTABLE_SITE_NAME", "Roundtable")

# Our apps come first: where a message id is the same, their translations win
# over Django's own catalogues (e.g. "Filter", "All").
INSTALLED_APPS = [
    "roundtable.audit",
    "roundtable.people",
    "roundtable.processes",
    "roundtable.agenda",
    "roundtable.meetings",
    "roundtable.consultations",
    "roundtable.drafting",
    "roundtable.discussions",
    "roundtable.surveys",
    "roundtable.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication: the person's preferred language and time zone apply.
    "roundtable.people.middleware.LanguageMiddleware",
    "roundtable.people.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "roundtable.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "roundtable.urls"
WSGI_APPLICATION = "roundtable.wsgi.application"
ASGI_APPLICATION = "roundtable.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "roundtable.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'roundtable.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", DEFAULT_DATABASE_URL) or DEFAULT_DATABASE_URL,
        conn_max_age=env_int("ROUNDTABLE_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.Person"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "roundtable_language"

# --- Static and uploaded files ----------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("ROUNDTABLE_STATIC_ROOT", str(VAR_DIR / "static")) or "")
if not PRODUCTION:
    # WhiteNoise serves from the finders in development; the folder must exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads live outside the web root and are only ever served by views that
# check permissions and send Content-Disposition: attachment.
MEDIA_ROOT = Path(env("ROUNDTABLE_MEDIA_ROOT", str(VAR_DIR / "media")) or "")
# Nothing routes this prefix: uploads are served only by permission-checking views.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail ---------------------------------------------------------------

_email = dj_email_url.parse(env("EMAIL_URL", "console://") or "console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("ROUNDTABLE_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("ROUNDTABLE_FROM_EMAIL", "Roundtable <roundtable@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env("ROUNDTABLE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    }
}

# --- Sessions, cookies and security -------------------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ROUNDTABLE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ROUNDTABLE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ROUNDTABLE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("ROUNDTABLE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("ROUNDTABLE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "roundtable": {"level": env("ROUNDTABLE_LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# --- Roundtable's own limits (every size and count limit is a setting) -------

ROUNDTABLE = {
    "INVITATION_VALID_DAYS": env_int("ROUNDTABLE_INVITATION_VALID_DAYS", 14),
    "MAX_INVITATIONS_PER_REQUEST": env_int("ROUNDTABLE_MAX_INVITATIONS_PER_REQUEST", 200),
    "MAX_TEXT_CHARS": env_int("ROUNDTABLE_MAX_TEXT_CHARS", 100_000),
    "MAX_DECLARATION_CHARS": env_int("ROUNDTABLE_MAX_DECLARATION_CHARS", 10_000),
    "MAX_API_TOKENS_PER_PERSON": env_int("ROUNDTABLE_MAX_API_TOKENS_PER_PERSON", 20),
    "API_PAGE_SIZE": env_int("ROUNDTABLE_API_PAGE_SIZE", 100),
    "MAIL_MAX_ATTEMPTS": env_int("ROUNDTABLE_MAIL_MAX_ATTEMPTS", 10),
    "SIGN_UP_LINK_VALID_DAYS": env_int("ROUNDTABLE_SIGN_UP_LINK_VALID_DAYS", 3),
    "ALLOW_SIGN_UP": env_bool("ROUNDTABLE_ALLOW_SIGN_UP", True),
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ROUNDTABLE_MAX_REQUEST_BYTES", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("ROUNDTABLE_FILE_UPLOAD_MAX_MEMORY_BYTES", 2_621_440)
