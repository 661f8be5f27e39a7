"""Views of the tenants app: the public site and sign-up, the operator console, login links."""

from tenants.views.public import landing

__all__ = ["landing"]
