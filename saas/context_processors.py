from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static

from tenants.services.subdomains import port_suffix


def tourdesk(request: HttpRequest) -> dict[str, object]:
    """What every page's base template needs: the business (None on the public site), Datastar."""
    if settings.DATASTAR_CDN_URL and settings.DATASTAR_CDN_INTEGRITY:
        datastar_src, datastar_integrity = (
            settings.DATASTAR_CDN_URL,
            settings.DATASTAR_CDN_INTEGRITY,
        )
    else:
        datastar_src, datastar_integrity = static("vendor/datastar.js"), ""
    return {
        "business": getattr(request, "tenant", None),
        "base_domain": settings.SAAS_BASE_DOMAIN,
        "datastar_src": datastar_src,
        "datastar_integrity": datastar_integrity,
        "port_suffix": port_suffix(),
    }
