"""What changes mean for live pages: topics, renderers and stream routes, registered by apps.

A *change* is what a service announces: ``(schema, kind, pk)``. A *topic* is what a stream
subscribes to, inside one schema: ``"tour_event:12"`` or ``"availability"``. The registry maps a
change to the topics it affects, renders a topic's current state (once per change, shared by all
of that topic's subscribers), and maps stream URLs to topics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Change:
    schema: str
    kind: str
    pk: str


@dataclass(frozen=True)
class Rendered:
    """A topic's full current state as SSE text; ``final`` ends the streams (e.g. completed)."""

    message: str
    final: bool = False


class Access(Enum):
    PUBLIC = "public"  # anyone on the business's host; carries no personal data
    STAFF = "staff"  # a logged-in, active staff user of that business


# Renders a topic's state inside the right schema (the caller enters it); None: no such object.
Renderer = Callable[[str], Rendered | None]


@dataclass(frozen=True)
class StreamRoute:
    pattern: re.Pattern[str]
    topic: Callable[[re.Match[str]], str]
    access: Access
    name: str  # the URL name templates reverse (the page server's route is derived from it)


@dataclass
class Registry:
    topics_for: dict[str, Callable[[Change], list[str]]] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    routes: list[StreamRoute] = field(default_factory=list)

    def on_change(self, kind: str) -> Callable[[Callable[[Change], list[str]]], Callable]:
        def decorator(fn: Callable[[Change], list[str]]) -> Callable[[Change], list[str]]:
            self.topics_for[kind] = fn
            return fn

        return decorator

    def renderer(self, prefix: str) -> Callable[[Renderer], Renderer]:
        def decorator(fn: Renderer) -> Renderer:
            self.renderers[prefix] = fn
            return fn

        return decorator

    def stream(
        self, pattern: str, *, name: str, topic: Callable[[re.Match[str]], str], access: Access
    ) -> None:
        """Declare a stream URL once: the stream server serves it, the page server answers it
        with the current state (saas.live.views), and templates reverse it by ``name``."""
        self.routes.append(StreamRoute(re.compile(pattern), topic, access, name))

    def topics(self, change: Change) -> list[str]:
        mapper = self.topics_for.get(change.kind)
        return mapper(change) if mapper else [f"{change.kind}:{change.pk}"]

    def render(self, topic: str) -> Rendered | None:
        prefix = topic.split(":", 1)[0]
        renderer = self.renderers.get(prefix)
        if renderer is None:
            raise LookupError(f"no renderer for live topic {topic!r}")
        return renderer(topic)

    def match(self, path: str) -> tuple[str, Access] | None:
        for route in self.routes:
            found = route.pattern.fullmatch(path)
            if found:
                return route.topic(found), route.access
        return None


registry = Registry()

PAYLOAD = re.compile(
    r"^(?P<schema>[a-z_][a-z0-9_]{0,62}):(?P<kind>[a-z_]{1,40}):(?P<pk>[0-9]{1,19})$"
)


def parse_payload(payload: str) -> Change | None:
    """The change a notification names, or None when the payload is not one of ours."""
    found = PAYLOAD.match(payload)
    if not found:
        return None
    return Change(found["schema"], found["kind"], found["pk"])
