"""Settings for bench/routing.py: the real settings with the routing middleware swapped.

BENCH_ROUTING=cached   Tourdesk's routing (saas.routing.TenantRoutingMiddleware), as shipped
BENCH_ROUTING=stock    django-tenants' TenantMainMiddleware: one domain query per request
BENCH_ROUTING=none     no tenancy at all: every request goes to one business fixed at start-up
"""

import os

from saas.settings import *  # noqa: F403

_variant = os.environ.get("BENCH_ROUTING", "cached")
_replacement = {
    "cached": "saas.routing.TenantRoutingMiddleware",
    "stock": "django_tenants.middleware.main.TenantMainMiddleware",
    "none": "bench.fixed_tenant.FixedTenantMiddleware",
}[_variant]
MIDDLEWARE = [
    _replacement if m == "saas.routing.TenantRoutingMiddleware" else m
    for m in MIDDLEWARE  # noqa: F405
]

# Measured as production runs (DEBUG off), but without requiring `collectstatic` first.
DEBUG = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
