"""Fan-out of live changes to N open streams, against what the polling pattern would cost.

Starts the real stream server (gunicorn + uvicorn worker, deploy/gunicorn-streams.conf.py, ONE
worker process) on 127.0.0.1, opens N streams — by default the public booking page's
(/book/live: what many customers keep open), or with --stream staff the staff departure page's —
then commits CHANGES bookings (or departure edits) and measures, for every stream, the time from
commit to arrival.
Prints delivery latency p50/p99, the server process's memory and threads, its PostgreSQL
connections, and the database queries per second the hub made; and, in the same run, the queries
per second the seed document's polling pattern (one query per open page every 2 s) needs for the
same N, with a short real run of that pattern on this database to show it is not hypothetical.
Loopback only; bounded in streams, changes and seconds. Uses a scratch database (bench/scratch.py).
The last line is one JSON object.

    .venv/bin/python bench/live_fanout.py [--streams 1000] [--changes 5] [--poll-seconds 6]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import resource
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402
from tests.live import LiveServer, request  # noqa: E402

HOST = "fanout.localhost"
CAPACITY = 100
# What identifies change number i in a stream's bytes: the staff departure page carries the new
# title "Fanout-<i>"; the public booking page carries seats left, CAPACITY - 1 - i.
STAFF_MARK = re.compile(rb"Fanout-(\d+)")
PUBLIC_MARK = re.compile(rb'"seats":\{"e\d+":(\d+)\}')


def change_indexes(stream: str, chunk: bytes) -> list[int]:
    if stream == "staff":
        return [int(found.group(1)) for found in STAFF_MARK.finditer(chunk)]
    return [CAPACITY - 1 - int(found.group(1)) for found in PUBLIC_MARK.finditer(chunk)]


def raise_fd_limit() -> int:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Streams:
    """N raw HTTP/1.1 streams read by one asyncio loop in a background thread."""

    def __init__(self, port: int, path: str, cookie: str, n: int, kind: str) -> None:
        self.port, self.path, self.cookie, self.n, self.kind = port, path, cookie, n, kind
        self.arrivals: dict[int, list[float]] = {}
        self.open = 0
        self.failed: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stop = threading.Event()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _one(self, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=2**20)
                writer.write(
                    f"GET {self.path} HTTP/1.1\r\nHost: {HOST}\r\nCookie: {self.cookie}\r\n"
                    "Accept: text/event-stream\r\n\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                if b" 200 " not in head.split(b"\r\n", 1)[0]:
                    self.failed.append(head.split(b"\r\n", 1)[0].decode())
                    return
                await reader.readuntil(b"datastar-patch-signals")  # the initial state
            except (OSError, asyncio.IncompleteReadError) as exc:
                self.failed.append(repr(exc))
                return
        self.open += 1
        if self.open == self.n:
            self.ready.set()
        seen: set[int] = set()
        while not self.stop.is_set():
            chunk = await reader.read(65536)
            if not chunk:
                break
            now = time.monotonic()
            for index in change_indexes(self.kind, chunk):
                if index >= 0 and index not in seen:
                    seen.add(index)
                    self.arrivals.setdefault(index, []).append(now)
        writer.close()

    def start(self, timeout: float) -> None:
        async def all_streams() -> None:
            gate = asyncio.Semaphore(200)  # connect in waves of 200
            await asyncio.gather(*(self._one(gate) for _ in range(self.n)))

        asyncio.run_coroutine_threadsafe(all_streams(), self.loop)
        if not self.ready.wait(timeout):
            raise RuntimeError(
                f"only {self.open}/{self.n} streams opened; failures: {self.failed[:3]}"
            )

    def wait_for(self, index: int, timeout: float) -> list[float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.arrivals.get(index, [])) >= self.n:
                break
            time.sleep(0.005)
        return self.arrivals.get(index, [])


def _client_process(conn: Any, port: int, path: str, cookie: str, n: int, kind: str) -> None:
    """One load-generator process: opens its share of the streams, answers the parent's calls."""
    streams = Streams(port, path, cookie, n, kind)
    try:
        streams.start(timeout=max(60.0, n / 25))
        conn.send(("ready", None))
    except RuntimeError as exc:
        conn.send(("error", str(exc)))
        return
    while True:
        command, index, timeout = conn.recv()
        if command == "stop":
            streams.stop.set()
            return
        conn.send(("arrivals", streams.wait_for(index, timeout)))


class ClientProcesses:
    """The streams spread over several processes, so that reading them is not one core's work.

    CLOCK_MONOTONIC is system-wide on Linux, so arrival times compare with the commit time."""

    def __init__(
        self, port: int, path: str, cookie: str, n: int, kind: str, processes: int
    ) -> None:
        context = multiprocessing.get_context("fork")
        shares = [n // processes + (1 if i < n % processes else 0) for i in range(processes)]
        self.pipes = []
        self.children = []
        for share in shares:
            parent, child = context.Pipe()
            proc = context.Process(
                target=_client_process, args=(child, port, path, cookie, share, kind), daemon=True
            )
            proc.start()
            self.pipes.append(parent)
            self.children.append(proc)

    def start(self, timeout: float) -> None:
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError("a client process did not open its streams in time")
            kind, detail = pipe.recv()
            if kind != "ready":
                raise RuntimeError(detail)

    def wait_for(self, index: int, timeout: float) -> list[float]:
        for pipe in self.pipes:
            pipe.send(("wait", index, timeout))
        return [arrival for pipe in self.pipes for arrival in pipe.recv()[1]]

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop", None, None))
        for proc in self.children:
            proc.join(5)


def process_figures(pid: int) -> tuple[float, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


async def poll_like_the_seed(
    dsn: str, schema: str, event_pk: int, pages: int, seconds: float, connections: int
) -> tuple[float, float]:
    """Run the polling pattern for `pages` open pages (a query each every 2 s) on a small pool of
    connections for `seconds`; returns (queries per second achieved, p99 lateness in ms)."""
    import psycopg

    conns = [
        await psycopg.AsyncConnection.connect(dsn, autocommit=True) for _ in range(connections)
    ]
    pool: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()
    for conn in conns:
        await pool.put(conn)
    done = 0
    lateness: list[float] = []
    start = time.monotonic()
    query = f'SELECT seats_booked, capacity, status FROM "{schema}".tours_tourevent WHERE id = %s'

    async def page(offset: float) -> None:
        nonlocal done
        due = start + offset
        while True:
            await asyncio.sleep(max(due - time.monotonic(), 0))
            if time.monotonic() - start >= seconds:
                return
            conn = await pool.get()
            try:
                await conn.execute(query, [event_pk])
            finally:
                await pool.put(conn)
            done += 1
            lateness.append(time.monotonic() - due)
            due += 2.0

    await asyncio.gather(*(page(2.0 * i / pages) for i in range(pages)))
    for conn in conns:
        await conn.close()
    lateness.sort()
    return done / seconds, lateness[int(len(lateness) * 0.99)] * 1000 if lateness else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument(
        "--stream",
        choices=["public", "staff"],
        default="public",
        help="public: /book/live, changes are bookings (seat counts); "
        "staff: /events/<id>/live, changes are edits (the departure partial)",
    )
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--poll-seconds", type=float, default=6.0)
    parser.add_argument("--poll-connections", type=int, default=10)
    parser.add_argument(
        "--client-processes",
        type=int,
        default=2,
        help="load-generator processes reading the streams (default 2, one per core here)",
    )
    args = parser.parse_args()
    if not 1 <= args.streams <= 12_000 or not 1 <= args.changes <= 50:
        parser.error("bounded: 1-12000 streams, 1-50 changes")
    limit = raise_fd_limit()
    # One key for this process (which writes the session) and the server (which checks it).
    os.environ["SECRET_KEY"] = "bench-live-fanout-" + "k" * 40
    if args.streams + 100 > limit:
        parser.error(f"the open-file limit ({limit}) is too low for {args.streams} streams")

    with scratch_database("tourdesk_bench_live") as url:
        from datetime import timedelta
        from decimal import Decimal

        from django.contrib.auth import get_user_model
        from django.contrib.sessions.backends.db import SessionStore
        from django.db import connection
        from django.utils import timezone
        from django_tenants.utils import schema_context

        from bookings.services import bookings as booking_services
        from bookings.services.bookings import ClientDetails
        from tenants.services import business_provision
        from tours.models import TourEvent
        from tours.services import events as event_services
        from tours.services import tours as tour_services

        business = business_provision(
            name="Fanout Co",
            subdomain="fanout",
            owner_email="owner@fanout.example",
            owner_password="bench-password-1",
            actor="bench",
        ).business
        schema = business.schema_name
        with schema_context(schema):
            tour = tour_services.tour_create(
                actor="bench",
                name="Fanout Walk",
                duration_minutes=60,
                price=Decimal("10"),
                default_capacity=CAPACITY,
            )
            event = event_services.tour_event_schedule(
                actor="bench", tour=tour, starts_at=timezone.now() + timedelta(days=5)
            )
            owner = get_user_model().objects.get()
            session = SessionStore()
            session.update(
                {
                    "_auth_user_id": str(owner.pk),
                    "_auth_user_hash": owner.get_session_auth_hash(),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                }
            )
            session.save()
        cookie = f"sessionid={session.session_key}"

        server = LiveServer(
            database_url=url,
            config="deploy/gunicorn-streams.conf.py",
            settings_module="saas.settings",
            env={"GUNICORN_ACCESS_LOG": "", "DEBUG": "0"},
        )
        with server:
            assert server.process is not None
            pid = worker_pid(server.process.pid)
            rss_before, threads_before = process_figures(pid)
            t0 = time.monotonic()
            path = "/book/live" if args.stream == "public" else f"/events/{event.pk}/live"
            streams = ClientProcesses(
                server.port, path, cookie, args.streams, args.stream, args.client_processes
            )
            streams.start(timeout=max(120.0, args.streams / 25))
            open_seconds = time.monotonic() - t0
            print(f"{args.streams} streams open in {open_seconds:.1f} s", flush=True)
            stats0 = json.loads(request(server, HOST, "/healthz/live")[2])
            latencies: list[float] = []
            window_start = time.monotonic()
            for index in range(args.changes):
                with schema_context(schema):
                    current = TourEvent.objects.get(pk=event.pk)
                    committed_at = time.monotonic()
                    if args.stream == "staff":
                        event_services.tour_event_update(
                            actor="bench",
                            event=current,
                            title=f"Fanout-{index}",
                            starts_at=current.starts_at,
                            capacity=current.capacity,
                            guide_name="",
                            notes="",
                        )
                    else:
                        booking_services.booking_create(
                            actor="bench",
                            event=current,
                            participants=1,
                            client=ClientDetails(
                                name=f"Guest {index}", email=f"guest{index}@fanout.example"
                            ),
                        )
                arrivals = streams.wait_for(index, timeout=30)
                if len(arrivals) < args.streams:
                    stats = request(server, HOST, "/healthz/live")[2].decode()
                    raise RuntimeError(
                        f"change {index}: {len(arrivals)}/{args.streams} arrived; hub: {stats}"
                    )
                latencies += [a - committed_at for a in arrivals]
                print(
                    f"change {index}: delivered to {len(arrivals)} streams, "
                    f"max {max(arrivals) - committed_at:.3f} s",
                    flush=True,
                )
                time.sleep(1.0)  # a busy departure: one change a second
            window = time.monotonic() - window_start
            stats1 = json.loads(request(server, HOST, "/healthz/live")[2])
            time.sleep(
                6.0
            )  # idle: the pool has closed its render connections (max_idle 2 s, one per interval)
            rss, threads = process_figures(pid)
            with connection.cursor() as cursor:
                # The stream server's connections: its listener, any render connection, and a
                # routing listener if it had one (it should not: the hub's connection does that).
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name IN ('tourdesk-streams', 'tourdesk-live-listener',"
                    " 'tourdesk-routing-listener')"
                )
                pg_connections = cursor.fetchone()[0]
            streams.close()

        dsn = url
        polling_qps, polling_lag = asyncio.run(
            poll_like_the_seed(
                dsn, schema, event.pk, args.streams, args.poll_seconds, args.poll_connections
            )
        )

    latencies.sort()
    hub_queries = stats1["render_queries"] - stats0["render_queries"]
    hub_qps = hub_queries / window
    figures = {
        "benchmark": "live_fanout",
        "streams": args.streams,
        "stream": args.stream,
        "client_processes": args.client_processes,
        "changes": args.changes,
        "open_seconds": round(open_seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "rss_mb": round(rss, 1),
        "rss_mb_before_streams": round(rss_before, 1),
        "threads": threads,
        "threads_before_streams": threads_before,
        "pg_connections": pg_connections,
        "hub_queries": hub_queries,
        "hub_qps": round(hub_qps, 2),
        "polling_qps": args.streams / 2.0,
        "polling_qps_achieved": round(polling_qps, 1),
        "polling_p99_lag_ms": round(polling_lag, 1),
        "ratio": round((args.streams / 2.0) / hub_qps, 1) if hub_qps else None,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
