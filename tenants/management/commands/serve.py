"""``manage.py serve`` (what ``make run`` calls): prepare the database, then run gunicorn.

Migrates the public schema and every business, creates the demo business on first start, and
runs gunicorn with deploy/gunicorn.conf.py as a child process. This process keeps holding the
embedded PostgreSQL (when DATABASE_URL is unset), so the server stops when you press Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenants.demo import seed_demo
from tenants.models import Domain
from tenants.services import business_provision

DEMO_SUBDOMAIN = "demo"
DEMO_OWNER_EMAIL = "owner@demo.tourdesk.example"
DEMO_OWNER_PASSWORD = "tourdesk-demo"


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

        port = settings.PORT
        bind = options["bind"] or f"127.0.0.1:{port},[::1]:{port}"
        env = {**os.environ, "GUNICORN_BIND": bind}
        self.stdout.write(
            self.style.SUCCESS(f"Tourdesk public site: http://{settings.SAAS_BASE_DOMAIN}:{port}/")
        )
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
        child = subprocess.Popen(gunicorn, cwd=settings.BASE_DIR, env=env)  # noqa: S603

        def forward(signum: int, _frame: Any) -> None:
            child.send_signal(signum)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        sys.exit(child.wait())

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
