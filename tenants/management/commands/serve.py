"""``manage.py serve`` (what ``make run`` calls): prepare the database, then serve.

Migrates the public schema and every business, creates the demo business on first start, and
runs the page server (gunicorn, deploy/gunicorn.conf.py) and the stream server (gunicorn +
uvicorn, deploy/gunicorn-streams.conf.py) as child processes behind one address: a development
proxy (saas/devproxy.py) on PORT sends each request to one or the other by its path. This
process keeps holding the embedded PostgreSQL (when DATABASE_URL is unset), so the server stops
when you press Ctrl-C.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from saas import devproxy
from saas.live.streams import is_stream_path
from tenants.demo import seed_demo
from tenants.models import Domain
from tenants.services import business_provision, schema_pool_fill

DEMO_SUBDOMAIN = "demo"
DEMO_OWNER_EMAIL = "owner@demo.tourdesk.example"
DEMO_OWNER_PASSWORD = "tourdesk-demo"
DEMO_OPERATOR_EMAIL = "operator@tourdesk.example"
DEMO_OPERATOR_PASSWORD = "tourdesk-operator"  # local demo only; printed on every start


class Command(BaseCommand):
    help = "Migrate, create the demo business on first start, and serve with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo.")
        parser.add_argument("--bind", help="host:port[,host:port] (default: loopback, PORT).")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_demo"]:
            self.ensure_demo()
            self.ensure_operator()
        created = schema_pool_fill(size=settings.SCHEMA_POOL_SIZE, actor="command:serve")
        if created:
            self.stdout.write(f"Warm pool: {created} spare schema(s) ready for instant sign-ups.")

        port = settings.PORT
        pages_port, streams_port = port + 1, port + 2
        base_env = {**os.environ, "GUNICORN_ACCESS_LOG": os.environ.get("GUNICORN_ACCESS_LOG", "")}
        children = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "--config", config],
                cwd=settings.BASE_DIR,
                env={**base_env, bind_variable: f"127.0.0.1:{child_port}"},
            )
            for config, bind_variable, child_port in (
                ("deploy/gunicorn.conf.py", "GUNICORN_BIND", pages_port),
                ("deploy/gunicorn-streams.conf.py", "STREAM_BIND", streams_port),
            )
        ]
        binds = self.binds(options["bind"] or f"127.0.0.1:{port},[::1]:{port}")
        self.stdout.write(
            self.style.SUCCESS(f"Tourdesk public site: http://{settings.SAAS_BASE_DOMAIN}:{port}/")
        )
        self.stdout.write(
            f"(pages: gunicorn gthread on :{pages_port}; live streams: gunicorn + uvicorn on "
            f":{streams_port}; both behind :{port})"
        )

        def stop(signum: int, _frame: Any) -> None:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                child.wait(timeout=30)
            sys.exit(0)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        asyncio.run(
            devproxy.serve(
                binds, ("127.0.0.1", pages_port), ("127.0.0.1", streams_port), is_stream_path
            )
        )

    @staticmethod
    def binds(spec: str) -> list[tuple[str, int]]:
        result = []
        for item in spec.split(","):
            host, _, port = item.rpartition(":")
            result.append((host.strip("[]"), int(port)))
        return result

    def ensure_operator(self) -> None:
        """A platform operator for the public site's /operator/ and /admin/ (development only)."""
        User = get_user_model()
        if not User.objects.filter(username=DEMO_OPERATOR_EMAIL).exists():
            User.objects.create_superuser(
                username=DEMO_OPERATOR_EMAIL,
                email=DEMO_OPERATOR_EMAIL,
                password=DEMO_OPERATOR_PASSWORD,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Operator console: http://{settings.SAAS_BASE_DOMAIN}:{settings.PORT}/operator/  "
                f"log in as {DEMO_OPERATOR_EMAIL} / {DEMO_OPERATOR_PASSWORD}"
            )
        )

    def ensure_demo(self) -> None:
        host = f"{DEMO_SUBDOMAIN}.{settings.SAAS_BASE_DOMAIN}"
        if not Domain.objects.filter(domain=host).exists():
            self.stdout.write("Creating the demo business (first start only)…")
            business_provision(
                name="Lisbon Walking Tours (demo)",
                subdomain=DEMO_SUBDOMAIN,
                owner_email=DEMO_OWNER_EMAIL,
                owner_password=DEMO_OWNER_PASSWORD,
                time_zone="Europe/Lisbon",
                actor="command:serve",
            )
            seed_demo(subdomain=DEMO_SUBDOMAIN)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo business: http://{host}:{settings.PORT}/  "
                f"log in as {DEMO_OWNER_EMAIL} / {DEMO_OWNER_PASSWORD}"
            )
        )
