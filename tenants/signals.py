"""Keep the routing caches honest: any change to a business or domain clears them, in this
process at once and in every other process when the change commits (saas.routing_listener).

This is cache invalidation, not business logic, so it is the one place a signal is right.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Business, Domain


def _after_commit() -> None:
    from saas.routing import clear_routing_cache
    from saas.routing_listener import routing_change_barrier

    # A request served between the save and the commit may have cached the old row.
    clear_routing_cache()
    # Return only once every other process has dropped the old route.
    routing_change_barrier()


@receiver([post_save, post_delete], sender=Business)
@receiver([post_save, post_delete], sender=Domain)
def clear_routing_cache_on_change(**kwargs: Any) -> None:
    from saas.routing import clear_routing_cache
    from saas.routing_listener import notify_routing_change

    clear_routing_cache()
    # Once per transaction, however many rows it saves: every other process clears its cache
    # when this transaction commits (LISTEN/NOTIFY), and the writer waits for them afterwards.
    if any(entry[1] is _after_commit for entry in connection.run_on_commit):
        return
    with connection.cursor() as cursor:
        notify_routing_change(cursor)
    transaction.on_commit(_after_commit)
