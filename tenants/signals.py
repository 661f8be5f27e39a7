"""Keep the in-process routing cache honest: any change to a business or domain clears it.

This is cache invalidation, not business logic, so it is the one place a signal is right.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Business, Domain


@receiver([post_save, post_delete], sender=Business)
@receiver([post_save, post_delete], sender=Domain)
def clear_routing_cache_on_change(**kwargs: Any) -> None:
    from saas.routing import clear_routing_cache

    clear_routing_cache()
    # Clear again once the transaction commits: a request served between the save and the commit
    # may have cached the old row.
    transaction.on_commit(clear_routing_cache)
