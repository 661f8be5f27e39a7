"""The hub's in-memory behaviour: payload parsing, bounded queues, coalesced renders."""

from __future__ import annotations

import asyncio
import threading

import pytest

from saas.live.hub import Hub, Subscription
from saas.live.registry import Change, Registry, Rendered, parse_payload


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("t_alpha:tour_event:12", Change("t_alpha", "tour_event", "12")),
        ("t_a_b:booking:9007199254740993", Change("t_a_b", "booking", "9007199254740993")),
    ],
)
def test_payloads_of_ours_are_parsed(payload: str, expected: Change) -> None:
    assert parse_payload(payload) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "t_alpha",
        "t_alpha:tour_event",
        "T_ALPHA:tour_event:1",
        "t_alpha:tour_event:x",
        "t;drop:tour_event:1",
        "t_alpha:tour_event:1:extra",
        "a" * 64 + ":k:1",
        "t:k:" + "9" * 20,
    ],
)
def test_other_payloads_are_refused(payload: str) -> None:
    assert parse_payload(payload) is None


def test_a_full_queue_drops_the_oldest_state() -> None:
    async def scenario() -> tuple[list[str], int]:
        sub = Subscription(("t_a", "x:1"), maxsize=2)
        for n in range(5):
            sub.offer(Rendered(f"state {n}"))
        return [sub.queue.get_nowait().message for _ in range(2)], sub.dropped

    messages, dropped = asyncio.run(scenario())
    assert messages == ["state 3", "state 4"]
    assert dropped == 3


def make_hub(render_gate: threading.Event, calls: list[str]) -> Hub:
    registry = Registry()

    @registry.renderer("thing")
    def render(topic: str) -> Rendered | None:
        calls.append(topic)
        render_gate.wait(5)
        return Rendered(f"{topic} render {len(calls)}")

    return Hub(registry=registry, conninfo="unused", render_threads=2)


def test_a_burst_of_changes_is_rendered_once_per_topic_and_shared_by_subscribers() -> None:
    calls: list[str] = []
    gate = threading.Event()
    hub = make_hub(gate, calls)

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        first = hub.subscribe("t_a", "thing:1")
        second = hub.subscribe("t_a", "thing:1")
        other_business = hub.subscribe("t_b", "thing:1")
        hub._on_notify("t_a:thing:1")
        await asyncio.sleep(0.05)  # its render is now running (held at the gate)
        for _ in range(9):  # nine more changes while it runs
            hub._on_notify("t_a:thing:1")
        gate.set()
        await asyncio.sleep(0.3)
        drain = lambda sub: [sub.queue.get_nowait().message for _ in range(sub.queue.qsize())]  # noqa: E731
        return drain(first), drain(second), drain(other_business)

    first, second, other = asyncio.run(scenario())
    # one render for the first change, one more for all the changes that arrived meanwhile
    assert calls == ["thing:1", "thing:1"]
    assert first == second == ["thing:1 render 1", "thing:1 render 2"]
    assert other == []
    assert hub.stats.notifications == 10
    assert hub.stats.deliveries == 4


def test_changes_nobody_follows_cost_nothing_and_unsubscribing_forgets_the_topic() -> None:
    calls: list[str] = []
    gate = threading.Event()
    gate.set()
    hub = make_hub(gate, calls)

    async def scenario() -> None:
        sub = hub.subscribe("t_a", "thing:1")
        hub.unsubscribe(sub)
        hub._on_notify("t_a:thing:1")
        hub._on_notify("t_a:thing:2")
        hub._on_notify("not ours")
        await asyncio.sleep(0.1)

    asyncio.run(scenario())
    assert calls == []
    assert hub.subscriber_count == 0
    assert hub.topic_count == 0
    assert hub.stats.notifications == 3


def test_streams_connecting_at_once_share_one_render_of_the_initial_state() -> None:
    calls: list[str] = []
    gate = threading.Event()
    hub = make_hub(gate, calls)

    async def scenario() -> list[str | None]:
        async def connect() -> str | None:
            hub.subscribe("t_a", "thing:1")
            rendered = await hub.current("t_a", "thing:1")
            return rendered.message if rendered else None

        waiting = [asyncio.ensure_future(connect()) for _ in range(100)]
        await asyncio.sleep(0.05)
        gate.set()
        first = await asyncio.gather(*waiting)
        late = await connect()  # served from the cache: no render at all
        return [*first, late]

    messages = asyncio.run(scenario())
    assert calls == ["thing:1"]
    assert messages == ["thing:1 render 1"] * 101
