"""Test-only overrides on top of the real settings."""

import os

from saas.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# The pytest process connects without the pool: the pool keeps a spare connection open that races
# DROP DATABASE at the end of the session. Server processes started by tests (tests/live.py) keep
# the production pool settings.
if os.environ.get("TOURDESK_LIVE_SERVER") != "1":
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405

# Tests fill the spare-schema pool explicitly; a background refill would race their assertions.
SCHEMA_POOL_AUTOFILL = False
# The in-process suite relies on signal-driven invalidation; a listening connection would keep
# the test database open at teardown. Live servers (tests/live.py) turn it on.
ROUTING_LISTENER = env_bool("ROUTING_LISTENER", False)  # noqa: F405
