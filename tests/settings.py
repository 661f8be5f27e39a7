"""Test-only overrides on top of the real settings."""

from saas.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Tests fill the spare-schema pool explicitly; a background refill would race their assertions.
SCHEMA_POOL_AUTOFILL = False
# The in-process suite relies on signal-driven invalidation; a listening connection would keep
# the test database open at teardown. Live servers (tests/live.py) turn it on.
ROUTING_LISTENER = env_bool("ROUTING_LISTENER", False)  # noqa: F405
