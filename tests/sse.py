"""Parse a Datastar server-sent-event response into events (type, selector, HTML, signals)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.http.response import HttpResponseBase


@dataclass
class SSEEvent:
    type: str
    data: dict[str, list[str]] = field(default_factory=dict)

    @property
    def selector(self) -> str | None:
        return self.data.get("selector", [None])[0]

    @property
    def mode(self) -> str:
        return self.data.get("mode", ["outer"])[0]

    @property
    def html(self) -> str:
        return "\n".join(self.data.get("elements", []))

    @property
    def signals(self) -> dict[str, Any]:
        return json.loads("\n".join(self.data["signals"]))


def parse_sse(response: HttpResponseBase) -> list[SSEEvent]:
    """Events of a streamed Datastar response, in order. Asserts the SSE content type."""
    assert response["Content-Type"].startswith("text/event-stream"), response["Content-Type"]
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    events: list[SSEEvent] = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        event: SSEEvent | None = None
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = SSEEvent(type=line.removeprefix("event: "))
            elif line.startswith("data: "):
                assert event is not None, block
                key, _, value = line.removeprefix("data: ").partition(" ")
                event.data.setdefault(key, []).append(value)
        assert event is not None, block
        events.append(event)
    return events


class _TextById(HTMLParser):
    """Collects the text inside each element that has an id (nested ids included)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: dict[str, list[str]] = {}
        self.root_ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id")
        if not self.stack and element_id:
            self.root_ids.append(element_id)
        if tag in {"br", "input", "img", "meta", "link", "hr"}:
            return
        self.stack.append(element_id)
        if element_id:
            self.texts.setdefault(element_id, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "input", "img", "meta", "link", "hr"}:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for element_id in self.stack:
            if element_id:
                self.texts[element_id].append(data)


def text_by_id(html: str) -> dict[str, str]:
    """``{id: whitespace-normalised text}`` for every element with an id in ``html``."""
    parser = _TextById()
    parser.feed(html)
    return {key: " ".join("".join(parts).split()) for key, parts in parser.texts.items()}


def root_ids(html: str) -> list[str]:
    """The ids of the top-level elements of an HTML fragment."""
    parser = _TextById()
    parser.feed(html)
    return parser.root_ids


def list_items(html: str) -> list[str]:
    """The text of every <li> in ``html``."""

    class _Items(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.items: list[str] = []
            self.depth = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "li":
                self.items.append("")
                self.depth += 1

        def handle_endtag(self, tag: str) -> None:
            if tag == "li":
                self.depth -= 1

        def handle_data(self, data: str) -> None:
            if self.depth:
                self.items[-1] += data

    parser = _Items()
    parser.feed(html)
    return [" ".join(item.split()) for item in parser.items]
