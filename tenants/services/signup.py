"""Sign-up helpers: the per-address rate limit and the single-use login link to the new host."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Business, LoginLinkUse, SignupAttempt
from tenants.services.subdomains import business_url

LOGIN_LINK_SALT = "tourdesk.login-link"


class RateLimited(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


def signup_attempt_register(*, client_address: str) -> None:
    """Count one sign-up submission from ``client_address``, or raise RateLimited.

    At most SIGNUP_RATE_LIMIT submissions per address within SIGNUP_RATE_WINDOW_SECONDS. The
    address's rows are locked in order (transaction-scoped advisory lock on the address), so
    concurrent submissions cannot all slip under the limit. Rows older than the window are pruned.
    """
    window = timedelta(seconds=settings.SIGNUP_RATE_WINDOW_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [client_address])
        SignupAttempt.objects.filter(created_at__lt=now - window).delete()
        recent = SignupAttempt.objects.filter(
            client_address=client_address, created_at__gte=now - window
        ).order_by("created_at")
        count = recent.count()
        if count >= settings.SIGNUP_RATE_LIMIT:
            oldest = recent.first()
            assert oldest is not None
            retry = int((oldest.created_at + window - now).total_seconds()) + 1
            raise RateLimited(max(retry, 1))
        SignupAttempt.objects.create(client_address=client_address)


def login_link_create(*, business: Business, email: str) -> str:
    """A signed URL on the business's own host that logs ``email`` in once, within two minutes."""
    token = signing.dumps(
        {"s": business.schema_name, "e": email, "n": secrets.token_urlsafe(16)},
        salt=LOGIN_LINK_SALT,
        compress=True,
    )
    host = business.primary_domain
    if host is None:
        raise ValueError(f"{business.schema_name} has no primary domain to log in on")
    return business_url(host, f"/accounts/magic/{token}/")


class LoginLinkRefused(Exception):
    """Why a login link was refused, in words for the person holding it."""


def login_link_redeem(*, business: Business, token: str) -> AbstractBaseUser:
    """The user a login link is for; the link is spent. Raises LoginLinkRefused.

    Refused when the signature is wrong (tampered), older than LOGIN_LINK_MAX_AGE seconds, made
    for another business, or used before (its nonce is recorded in one transaction, unique).
    """
    try:
        payload: dict[str, Any] = signing.loads(
            token, salt=LOGIN_LINK_SALT, max_age=settings.LOGIN_LINK_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise LoginLinkRefused("This sign-in link has expired. Log in with your password.") from exc
    except signing.BadSignature as exc:
        raise LoginLinkRefused("This sign-in link is not valid.") from exc
    if not isinstance(payload, dict) or payload.get("s") != business.schema_name:
        raise LoginLinkRefused("This sign-in link is not valid.")
    try:
        with transaction.atomic():
            # A record older than a link can live has nothing left to refuse.
            stale = timezone.now() - timedelta(seconds=2 * settings.LOGIN_LINK_MAX_AGE)
            LoginLinkUse.objects.filter(used_at__lt=stale).delete()
            LoginLinkUse.objects.create(nonce=str(payload["n"]), schema_name=business.schema_name)
            with schema_context(business.schema_name):
                user = get_user_model().objects.get(username=payload["e"], is_active=True)
    except IntegrityError as exc:
        raise LoginLinkRefused(
            "This sign-in link has been used already. Log in with your password."
        ) from exc
    except get_user_model().DoesNotExist as exc:
        raise LoginLinkRefused("This sign-in link is not valid.") from exc
    return user
