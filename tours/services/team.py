"""The business's team: the owner adds and removes staff accounts (users of this schema)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from tours.services.audit import audit_record


@transaction.atomic
def staff_add(
    *, actor: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> AbstractUser:
    """Create a staff account (user name = lower-cased e-mail) that can log in to this business.

    A removed account with the same e-mail is re-activated with the new password. Raises
    ValidationError when the e-mail is invalid or in use, or the password is too weak.
    """
    User = get_user_model()
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append("Enter a valid e-mail address.")
    existing = User.objects.select_for_update().filter(username=email).first()
    if existing is not None and existing.is_active:
        errors.setdefault("email", []).append("This person already has an account here.")
    user = existing or User(username=email, email=email)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.email = email
    user.is_active = True
    user.is_staff = True
    user.is_superuser = False
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="staff.readded" if existing else "staff.added",
        target=user,
        detail={"email": email},
    )
    return user  # type: ignore[return-value]


@transaction.atomic
def staff_remove(*, actor: str, user: AbstractUser) -> AbstractUser:
    """Deactivate a staff account: it can no longer log in (its open sessions stop working) and
    its history stays. The owner's account cannot be removed."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)  # type: ignore[assignment]
    if user.is_superuser:
        raise ValidationError("The owner's account cannot be removed.")
    if not user.is_active:
        raise ValidationError("This account was already removed.")
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    audit_record(actor=actor, action="staff.removed", target=user, detail={"email": user.email})
    return user
