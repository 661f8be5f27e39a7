"""Bookings per second when 20 clients hammer one departure versus 20 different departures.

Every booking goes through bookings.services.booking_create, which locks the departure row: on
one departure the 20 clients queue behind each other's lock; on 20 departures they do not. The
ratio (one / spread) is what the lock costs under full contention. Each client is a thread with
its own database connection, booking one seat at a time; the two variants alternate over several
rounds, each on fresh departures, so that machine noise hits both alike.
It uses a scratch database `tourdesk_bench_bookings` on the configured server (DATABASE_URL, or
the embedded one) and drops it afterwards. The last line is a JSON object; `ratio` = one / spread.

    .venv/bin/python bench/booking_contention.py [--seconds 3] [--rounds 3] [--clients 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402


def drive(*, schema: str, event_ids: list[int], client_ids: list[int], seconds: float) -> float:
    """Bookings per second that len(client_ids) threads complete; thread i books event_ids[i]."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from bookings.models import Client
    from bookings.services import booking_create
    from tours.models import TourEvent

    counts = [0] * len(client_ids)
    failures: list[BaseException] = []
    start = threading.Barrier(len(client_ids) + 1)
    deadline: list[float] = []

    def worker(index: int) -> None:
        try:
            with schema_context(schema):
                event = TourEvent.objects.get(pk=event_ids[index])
                client = Client.objects.get(pk=client_ids[index])
                start.wait()
                while time.monotonic() < deadline[0]:
                    booking_create(actor="bench", event=event, client=client, participants=1)
                    counts[index] += 1
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(client_ids))]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline.append(began + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"bookings failed: {failures[:3]}")
    return sum(counts) / (time.monotonic() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    args = parser.parse_args()
    os.environ["DB_POOL_MAX"] = str(args.clients + 5)  # one connection per client thread

    with scratch_database("tourdesk_bench_bookings"):
        from django.utils import timezone
        from django_tenants.utils import schema_context

        from bookings.services import client_create
        from tenants.services import business_provision
        from tours.models import MAX_CAPACITY
        from tours.services import tour_create, tour_event_schedule

        business = business_provision(
            name="Bench Bookings",
            subdomain="benchbook",
            owner_email="owner@benchbook.example",
            owner_password="bench-password-1",
            actor="bench",
        ).business
        schema = business.schema_name
        with schema_context(schema):
            tour = tour_create(
                actor="bench",
                name="Bench Tour",
                duration_minutes=60,
                price=10,  # type: ignore[arg-type]
                default_capacity=MAX_CAPACITY,
            )
            clients = [
                client_create(actor="bench", name=f"Client {n}", email=f"c{n}@bench.example").pk
                for n in range(args.clients)
            ]
        first_start = timezone.now() + timedelta(days=30)
        slot = 0

        def fresh_departures(count: int) -> list[int]:
            nonlocal slot
            ids = []
            with schema_context(schema):
                for _ in range(count):
                    slot += 1
                    starts = first_start + timedelta(hours=slot)
                    ids.append(tour_event_schedule(actor="bench", tour=tour, starts_at=starts).pk)
            return ids

        # warm-up: imports, connections, query compilation
        drive(
            schema=schema, event_ids=fresh_departures(args.clients), client_ids=clients, seconds=0.5
        )
        results: dict[str, list[float]] = {"one": [], "spread": []}
        for round_number in range(1, args.rounds + 1):
            for variant in ("one", "spread"):
                if variant == "one":
                    event_ids = fresh_departures(1) * args.clients
                else:
                    event_ids = fresh_departures(args.clients)
                rate = drive(
                    schema=schema, event_ids=event_ids, client_ids=clients, seconds=args.seconds
                )
                results[variant].append(rate)
                print(f"round {round_number}  {variant:>6}: {rate:8.1f} bookings/s", flush=True)

    median = {v: statistics.median(r) for v, r in results.items()}
    figures = {
        "benchmark": "booking_contention",
        "bookings_per_s_one_departure": round(median["one"], 1),
        "bookings_per_s_spread_departures": round(median["spread"], 1),
        "ratio": round(median["one"] / median["spread"], 3),
        "clients": args.clients,
        "rounds": args.rounds,
        "seconds_per_measurement": args.seconds,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
