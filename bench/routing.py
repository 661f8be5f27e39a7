"""Requests per second of one simple tenant page: Tourdesk's cached routing vs no tenancy.

Starts a real gunicorn server (1 worker, 4 threads) per variant on 127.0.0.1, drives it with a
bounded keep-alive load from this process, and alternates the variants over several rounds so
that machine noise hits all of them alike. Variants (bench/settings_routing.py):
  none    baseline without tenancy (one business fixed at start-up, no host lookup)
  cached  Tourdesk's routing middleware with its in-process cache
  stock   django-tenants' own middleware (a domain query on every request), for reference
The page is a business's login page (GET /accounts/login/), which needs the tenant (it shows the
business name) and makes no query of its own, so routing is the whole difference.
It uses a scratch database `tourdesk_bench` on the configured server (DATABASE_URL, or the
embedded one) and drops it afterwards. The last line is a JSON object; `ratio` = cached / none.

    .venv/bin/python bench/routing.py [--seconds 4] [--rounds 3] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402
from tests.live import LiveServer  # noqa: E402

HOST = "benchco.localhost"
PATH = "/accounts/login/"


def drive(port: int, seconds: float, clients: int) -> float:
    """Requests per second that `clients` keep-alive connections complete in `seconds`."""
    counts = [0] * clients
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            conn.request("GET", PATH, headers={"Host": HOST})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or b"Bench Co" not in body:
                failures.append(f"{response.status}")
                return
            counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"unexpected responses: {failures[:5]}")
    return sum(counts) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per measurement (default 4)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    args = parser.parse_args()

    with scratch_database("tourdesk_bench") as url:
        from tenants.services import business_provision

        business = business_provision(
            name="Bench Co",
            subdomain="benchco",
            owner_email="owner@benchco.example",
            owner_password="bench-password-1",
            actor="bench",
        ).business
        variants = ["none", "cached", "stock"]
        results: dict[str, list[float]] = {v: [] for v in variants}
        for round_number in range(1, args.rounds + 1):
            for variant in variants:
                env = {
                    "BENCH_ROUTING": variant,
                    "BENCH_SCHEMA": business.schema_name,
                    "SECRET_KEY": "bench-" + "k" * 40,
                }
                with LiveServer(
                    database_url=url,
                    env=env,
                    workers=1,
                    threads=4,
                    settings_module="bench.settings_routing",
                ) as server:
                    drive(server.port, 1.0, args.clients)  # warm-up: imports, pool, templates
                    rps = drive(server.port, args.seconds, args.clients)
                results[variant].append(rps)
                print(f"round {round_number}  {variant:>6}: {rps:8.1f} req/s", flush=True)

    median = {v: statistics.median(r) for v, r in results.items()}
    figures = {
        "benchmark": "routing",
        "page": PATH,
        "rps_no_tenancy": round(median["none"], 1),
        "rps_cached_routing": round(median["cached"], 1),
        "rps_stock_django_tenants": round(median["stock"], 1),
        "ratio": round(median["cached"] / median["none"], 3),
        "ratio_stock": round(median["stock"] / median["none"], 3),
        "rounds": args.rounds,
        "seconds_per_measurement": args.seconds,
        "clients": args.clients,
        "goal": ">= 0.9",
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
