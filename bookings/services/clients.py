"""Clients: create and edit. A client's e-mail is unique in the business, case-insensitively."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookings.models import Client
from tours.services import audit_record


def normalise_email(email: str) -> str:
    """Trim and lower-case the domain part; the local part is kept as typed (shown back as is)."""
    local, at, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else email.strip()


def client_by_email(email: str) -> Client | None:
    return Client.objects.filter(email__iexact=normalise_email(email)).first()


def _save_new(client: Client) -> Client:
    """Insert inside a savepoint: a concurrent insert of the same e-mail becomes a field error."""
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        if "client_email_unique_ci" not in str(exc):
            raise
        raise ValidationError(
            {"email": ["A client with this e-mail address already exists."]}
        ) from exc
    return client


@transaction.atomic
def client_create(*, actor: str, name: str, email: str, phone: str = "", notes: str = "") -> Client:
    """Create a client. Raises ValidationError (nothing written) when a field is invalid or the
    e-mail address already belongs to a client of this business."""
    client = Client(
        name=name.strip(), email=normalise_email(email), phone=phone.strip(), notes=notes.strip()
    )
    client.full_clean()  # includes the case-insensitive unique check
    _save_new(client)
    audit_record(
        actor=actor, action="client.created", target=client, detail={"email": client.email}
    )
    return client


@transaction.atomic
def client_find_or_create(*, actor: str, name: str, email: str, phone: str = "") -> Client:
    """The client with this e-mail address (whatever its case), or a new one.

    An existing client's name and phone are kept: a booking form must not rename a client.
    """
    existing = client_by_email(email)
    if existing is not None:
        return existing
    client = Client(name=name.strip(), email=normalise_email(email), phone=phone.strip())
    client.full_clean(validate_constraints=False)
    try:
        _save_new(client)
    except ValidationError:
        # Another request created this client between our look-up and insert: use theirs.
        found = client_by_email(email)
        if found is None:
            raise
        return found
    audit_record(
        actor=actor, action="client.created", target=client, detail={"email": client.email}
    )
    return client


@transaction.atomic
def client_update(
    *, actor: str, client: Client, name: str, email: str, phone: str = "", notes: str = ""
) -> Client:
    """Change a client's details. Raises ValidationError (nothing written) when invalid."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    before = {"name": client.name, "email": client.email, "phone": client.phone}
    client.name, client.email = name.strip(), normalise_email(email)
    client.phone, client.notes = phone.strip(), notes.strip()
    client.full_clean()
    client.save()
    after = {"name": client.name, "email": client.email, "phone": client.phone}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit_record(actor=actor, action="client.updated", target=client, detail=changes)
    return client
