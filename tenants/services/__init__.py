"""Writes to the public schema: provisioning and the lifecycle of businesses (DESIGN.md §3).

Split by sub-domain; everything is re-exported here, so ``from tenants.services import …`` works.
"""

from tenants.selectors import schema_pool_level
from tenants.services.export import business_export, business_restore
from tenants.services.lifecycle import (
    business_add_domain,
    business_delete,
    business_resume,
    business_suspend,
    business_update_settings,
)
from tenants.services.provisioning import (
    Provisioned,
    business_provision,
    schedule_pool_refill,
    schema_pool_fill,
)
from tenants.services.signup import (
    LoginLinkRefused,
    RateLimited,
    login_link_create,
    login_link_redeem,
    signup_attempt_register,
)
from tenants.services.subdomains import (
    DNS_LABEL,
    Availability,
    business_url,
    port_suffix,
    schema_name_for,
    subdomain_availability,
    subdomain_problem,
)

__all__ = [
    "DNS_LABEL",
    "Availability",
    "LoginLinkRefused",
    "Provisioned",
    "RateLimited",
    "business_add_domain",
    "business_delete",
    "business_export",
    "business_provision",
    "business_restore",
    "business_resume",
    "business_suspend",
    "business_update_settings",
    "business_url",
    "login_link_create",
    "login_link_redeem",
    "port_suffix",
    "schedule_pool_refill",
    "schema_name_for",
    "schema_pool_fill",
    "schema_pool_level",
    "signup_attempt_register",
    "subdomain_availability",
    "subdomain_problem",
]
