"""Tourdesk settings: one module, every value from the environment (DESIGN.md §7)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from saas.embedded_db import ensure_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "tourdesk-development-key-not-for-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 32 characters when DEBUG is off."
    )

SAAS_BASE_DOMAIN = os.environ.get("SAAS_BASE_DOMAIN", "localhost").strip().lower().rstrip(".")
PORT = int(os.environ.get("PORT", "8000"))
# How links to a business are written (e-mails, commands, the sign-up redirect): in development the
# server is reached on PORT over http; in production behind the proxy, https without a port.
SAAS_URL_SCHEME = os.environ.get("SAAS_URL_SCHEME", "http" if DEBUG else "https")
SAAS_URL_PORT = os.environ.get("SAAS_URL_PORT", str(PORT) if DEBUG else "")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")

# The tenant routing middleware is the host allow-list: an unknown host gets a 404 from it, so
# Django's own check would only turn custom domains away.
ALLOWED_HOSTS = ["*"]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.admin",
    "tours",
    "bookings",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Business"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "saas.urls_public"
ROOT_URLCONF = "saas.urls_tenant"
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "saas.health.HealthCheckMiddleware",
    "saas.routing.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saas.context_processors.tourdesk",
            ],
        },
    },
]

WSGI_APPLICATION = "saas.wsgi.application"
ASGI_APPLICATION = "saas.asgi.application"


def database_settings(url: str) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url))
    options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
    if "host" in options:  # a unix socket given as ?host=/path (the embedded server does this)
        config["HOST"] = options.pop("host")
    config["ENGINE"] = "django_tenants.postgresql_backend"
    config["CONN_MAX_AGE"] = 0  # the pool below keeps connections; Django must not as well
    # Names the process's connections in pg_stat_activity (the stream server sets its own).
    options.setdefault("application_name", os.environ.get("DB_APPLICATION_NAME", "tourdesk"))
    # Django's native psycopg pool. max_lifetime is bounded because each backend's catalog cache
    # grows with every tenant schema it touches. The stream server runs it with DB_POOL_MIN=0 and a
    # short DB_POOL_MAX_IDLE, so that idle streams hold no connection (deploy/gunicorn-streams).
    # DB_POOL=0 turns pooling off (a connection per use).
    if env_bool("DB_POOL", True):
        options["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            "max_lifetime": float(os.environ.get("DB_POOL_MAX_LIFETIME", "600")),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
            "max_idle": float(os.environ.get("DB_POOL_MAX_IDLE", "600")),
        }
    config["OPTIONS"] = options
    return config


DATABASES = {"default": database_settings(ensure_database_url(BASE_DIR))}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Sessions live in each tenant's schema; the cookie is host-only (no SESSION_COOKIE_DOMAIN), so a
# login on one business is never sent to, nor valid on, another.
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "saas" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The Datastar v1 browser client: served from our static files by default (scripts/fetch_datastar.py
# places it), or from a CDN copy with a subresource-integrity hash when both are set.
DATASTAR_CDN_URL = os.environ.get("DATASTAR_CDN_URL", "")
DATASTAR_CDN_INTEGRITY = os.environ.get("DATASTAR_CDN_INTEGRITY", "")

# Outgoing e-mail (Django 6.1 MAILERS). Development prints messages to the console; production sets
# MAILER_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP_* variables.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "MAILER_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": (
            {
                "host": os.environ.get("SMTP_HOST", "localhost"),
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USERNAME", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
            }
            if os.environ.get("MAILER_BACKEND", "").endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Tourdesk <no-reply@{SAAS_BASE_DOMAIN}>")

# Subdomains no business may take.
# fmt: off
RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "admin",
        "api",
        "app",
        "mail",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "static",
        "media",
        "assets",
        "cdn",
        "help",
        "support",
        "status",
        "docs",
        "blog",
        "billing",
        "operator",
        "signup",
        "login",
        "auth",
        "account",
        "accounts",
        "dashboard",
        "public",
        "root",
        "system",
        "tourdesk",
        "dev",
        "staging",
        "test",
        "ns1",
        "ns2",
        "localhost",
    }
)
# fmt: on

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from saas.sentry import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)

# Live streams send a comment this often so that proxies and browsers keep idle streams open.
LIVE_KEEPALIVE_SECONDS = float(os.environ.get("LIVE_KEEPALIVE_SECONDS", "15"))
ROUTING_CACHE_SECONDS = float(os.environ.get("ROUTING_CACHE_SECONDS", "10"))
ROUTING_CACHE_MAX_ENTRIES = 10_000

# Warm pool of migrated spare schemas (DESIGN.md §3). After each sign-up a background thread tops
# the pool up to SCHEMA_POOL_SIZE; `manage.py fill_schema_pool --size N` does it by hand.
SCHEMA_POOL_SIZE = int(os.environ.get("SCHEMA_POOL_SIZE", "3"))
SCHEMA_POOL_AUTOFILL = env_bool("SCHEMA_POOL_AUTOFILL", True)

# Sign-up: submissions per client address per window (a public-schema table, no Redis needed),
# and the lifetime of the single-use login link that takes the owner to their new host.
SIGNUP_RATE_LIMIT = int(os.environ.get("SIGNUP_RATE_LIMIT", "10"))
SIGNUP_RATE_WINDOW_SECONDS = int(os.environ.get("SIGNUP_RATE_WINDOW_SECONDS", "3600"))
# Count sign-ups per the last X-Forwarded-For entry instead of REMOTE_ADDR: only when the app is
# reachable solely through our own proxy (deploy/nginx.conf), which appends the client address.
SIGNUP_TRUST_X_FORWARDED_FOR = env_bool("SIGNUP_TRUST_X_FORWARDED_FOR", False)
LOGIN_LINK_MAX_AGE = 120

# Each process LISTENs on a PostgreSQL channel and clears its routing cache when a business or
# domain changes anywhere (saas/routing.py). Off: the cache falls back to ROUTING_CACHE_SECONDS.
ROUTING_LISTENER = env_bool("ROUTING_LISTENER", True)
# How long a change to a business or domain waits, after its commit, for every process to
# acknowledge that it dropped the old route (see saas/routing_listener.py).
ROUTING_BARRIER_TIMEOUT = float(os.environ.get("ROUTING_BARRIER_TIMEOUT", "2"))
