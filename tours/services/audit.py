from __future__ import annotations

from typing import Any

from django.db import models

from tours.models import AuditEntry


def audit_record(
    *, actor: str, action: str, target: models.Model, detail: dict[str, Any] | None = None
) -> AuditEntry:
    """Write one audit entry in the current schema (call it inside the service's transaction)."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        detail=detail or {},
    )
