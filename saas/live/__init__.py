"""Live updates (DESIGN.md §5): change notifications, the per-process hub, and the streams.

- :mod:`saas.live.notify` — services announce changes with ``pg_notify`` on commit.
- :mod:`saas.live.registry` — apps register what a change means (topics) and how a topic's state
  is rendered, and which stream URLs subscribe to which topic.
- :mod:`saas.live.hub` — one LISTEN connection per process, fan-out to subscribers in memory.
- :mod:`saas.live.streams` — the small ASGI app serving the Datastar streams.
"""

from saas.live.notify import CHANNEL, notify_on_commit, topic

__all__ = ["CHANNEL", "notify_on_commit", "topic"]
