"""Demo data for a business. Later issues add tours, departures, clients and bookings here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from tenants.models import Domain

DEMO_STAFF = [
    ("maria@demo.tourdesk.example", "Maria", "Costa"),
    ("tom@demo.tourdesk.example", "Tom", "Okafor"),
]
DEMO_STAFF_PASSWORD = "demo-staff-pass"


class DemoError(Exception):
    pass


def seed_demo(*, subdomain: str) -> str:
    """Add demo staff (and, as the product grows, tours and bookings); idempotent."""
    host = f"{subdomain.strip().lower()}.{settings.SAAS_BASE_DOMAIN}"
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None:
        raise DemoError(f"No business at {host}. Create it first with create_business.")
    business = domain.tenant
    created = 0
    with schema_context(business.schema_name):
        User = get_user_model()
        for email, first, last in DEMO_STAFF:
            _user, made = User.objects.get_or_create(
                username=email,
                defaults={"email": email, "first_name": first, "last_name": last, "is_staff": True},
            )
            if made:
                _user.set_password(DEMO_STAFF_PASSWORD)
                _user.save(update_fields=["password"])
                created += 1
    return f"{created} staff accounts added"
