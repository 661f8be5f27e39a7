"""Time to provision a business: claiming a warm spare schema vs running the migrations.

Both paths call the real service, ``business_provision`` (schema, domain, owner, audit entry,
commit), on the same scratch database in one run, alternating pool and migrate rounds so that
machine noise hits both alike. The pool is filled beforehand (not timed: it is background work).

The owner's password hash is NOT part of the compared figure: it is the same deliberate cost on
both paths (PBKDF2, ~0.8 s here) and says nothing about how a schema is obtained. The timed
calls therefore run with a fast hasher, and the real hasher is timed on its own (``hash_ms``);
``ratio_with_hash`` adds it back to both sides, which is what a sign-up request waits for.

It uses a scratch database `tourdesk_bench_provisioning` on the configured server (DATABASE_URL,
or the embedded one) and drops it afterwards. The last line is a JSON object;
``ratio`` = median migrate time / median pool time (both without the password hash).

    .venv/bin/python bench/provisioning.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ["SCHEMA_POOL_AUTOFILL"] = "0"  # the bench fills the pool itself, untimed
os.environ["ROUTING_LISTENER"] = "0"

from bench.scratch import scratch_database  # noqa: E402

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="provisionings per path")
    args = parser.parse_args()

    with scratch_database("tourdesk_bench_provisioning"):
        from django.contrib.auth.hashers import make_password
        from django.test.utils import override_settings

        from tenants.models import Business, BusinessEvent
        from tenants.selectors import schema_pool_level
        from tenants.services import business_provision, schema_pool_fill

        started = time.perf_counter()
        schema_pool_fill(size=args.rounds, actor="bench")
        fill_s = time.perf_counter() - started
        print(f"pool filled with {schema_pool_level()} spares in {fill_s:.1f} s (untimed below)")

        timings: dict[str, list[float]] = {"pool": [], "migrate": []}
        for index in range(args.rounds):
            for path in ("pool", "migrate"):
                if path == "migrate":
                    # Keep the spares out of reach so that this call takes the migrate path.
                    spares = list(
                        Business.objects.filter(is_spare=True).values_list("pk", flat=True)
                    )
                    Business.objects.filter(pk__in=spares).update(is_spare=False)
                sub = f"bench-{path}-{index}"
                with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
                    began = time.perf_counter()
                    result = business_provision(
                        name=f"Bench {path} {index}",
                        subdomain=sub,
                        owner_email=f"owner@{sub}.example",
                        owner_password="bench-owner-password",
                        actor="bench",
                    )
                    elapsed = time.perf_counter() - began
                if path == "migrate":
                    Business.objects.filter(pk__in=spares).update(is_spare=True)
                took = BusinessEvent.objects.get(business=result.business, kind="provisioned")
                assert took.detail["path"] == path, (path, took.detail)
                timings[path].append(elapsed * 1000)
                print(f"round {index + 1}: {path:<7} {elapsed * 1000:8.1f} ms")

        hashes = []  # the configured (production) hasher
        for _ in range(3):
            began = time.perf_counter()
            make_password("bench-owner-password")
            hashes.append((time.perf_counter() - began) * 1000)

    pool_ms = statistics.median(timings["pool"])
    migrate_ms = statistics.median(timings["migrate"])
    hash_ms = statistics.median(hashes)
    with_hash = (migrate_ms + hash_ms) / (pool_ms + hash_ms)
    print(
        f"median: warm pool {pool_ms:.1f} ms, migrate path {migrate_ms:.1f} ms: "
        f"{migrate_ms / pool_ms:.1f}x faster; with the {hash_ms:.0f} ms password hash on both "
        f"sides {with_hash:.1f}x"
    )
    print(
        json.dumps(
            {
                "benchmark": "provisioning",
                "rounds": args.rounds,
                "pool_ms": round(pool_ms, 1),
                "migrate_ms": round(migrate_ms, 1),
                "hash_ms": round(hash_ms, 1),
                "pool_ms_all": [round(t, 1) for t in timings["pool"]],
                "migrate_ms_all": [round(t, 1) for t in timings["migrate"]],
                "ratio_with_hash": round(with_hash, 2),
                "ratio": round(migrate_ms / pool_ms, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
