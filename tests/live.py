"""A real Tourdesk server process for end-to-end tests, browser tests and benchmarks.

The server runs gunicorn with deploy/gunicorn.conf.py, the test settings, and the test database,
on a free loopback port. Only data committed by the test process is visible to it, so end-to-end
fixtures commit (the test database is dropped at the end of the session).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """A DATABASE_URL for the database a Django connection is using (socket or TCP)."""
    user = quote(settings_dict.get("USER") or "postgres")
    password = quote(settings_dict.get("PASSWORD") or "")
    name = settings_dict["NAME"]
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    if host.startswith("/"):
        return f"postgresql://{auth}/{name}?host={quote(host)}"
    return f"postgresql://{auth}{host or '127.0.0.1'}:{port or 5432}/{name}"


class LiveServer:
    """gunicorn serving Tourdesk on 127.0.0.1:<port>; use as a context manager."""

    def __init__(
        self,
        *,
        database_url: str,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        workers: int = 1,
        threads: int = 4,
        settings_module: str = "tests.settings",
        config: str = "deploy/gunicorn.conf.py",
    ) -> None:
        self.port = port or free_port()
        self.database_url = database_url
        self.env = dict(env or {})
        self.workers = workers
        self.threads = threads
        self.settings_module = settings_module
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / ".data" / f"live-server-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, host: str, path: str = "/") -> str:
        """The URL a browser uses: ``*.localhost`` resolves to loopback in Chromium."""
        return f"http://{host}:{self.port}{path}"

    def start(self) -> LiveServer:
        self.start_without_waiting()
        self.wait_ready()
        return self

    def start_without_waiting(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "STREAM_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_ACCESS_LOG": "",
            "DEBUG": "1",
            "TOURDESK_LIVE_SERVER": "1",
            "PORT": str(self.port),
            # A real server invalidates its routing cache over LISTEN/NOTIFY, as in production.
            "ROUTING_LISTENER": "1",
            **self.env,
        }
        env.pop("TOURDESK_EMBEDDED_DB", None)
        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", self.config],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log()}")

    def wait_for(self, call: Callable[[], T], timeout: float = 30.0) -> T:
        """Call ``call`` until the server accepts connections (for a server that is not healthy)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return call()
            except (urllib.error.URLError, ConnectionError) as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not reachable:\n{self.log()}") from exc
                time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def end_other_sessions(timeout: float = 5.0) -> None:
    """Let other backends on this connection's database end, so that it can be dropped.

    Server processes close theirs when they exit; a connection that Playwright's greenlet left in
    another context of this process never would, so what remains after ``timeout`` is terminated
    (this is only ever called on the throw-away test database).
    """
    from django.db import connection

    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    assert connection.settings_dict["NAME"].startswith("test_")
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")


def request(
    server: LiveServer, host: str, path: str = "/", *, timeout: float = 10.0
) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` on ``server`` with a Host header (Python cannot resolve ``*.localhost``)."""
    req = urllib.request.Request(f"{server.base}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def staff_cookie(tenant: Any) -> str:
    """A Cookie header for a session of the business's owner, saved in its schema (call it with
    autocommit on, e.g. inside ``django_db_blocker.unblock()`` in a module fixture)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    with tenant.schema():
        owner = get_user_model().objects.get(username=tenant.owner_email)
        session = SessionStore()
        session["_auth_user_id"] = str(owner.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = owner.get_session_auth_hash()
        session.save()
        return f"sessionid={session.session_key}"


def committed[R](tenant: Any, change: Callable[[], R]) -> R:
    """Run ``change`` in the business's schema on a separate, autocommitting connection: the
    test's own connection is inside a transaction that server processes cannot see."""
    import threading

    from django.db import connection
    from django_tenants.utils import schema_context

    results: list[R] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with schema_context(tenant.business.schema_name):
                results.append(change())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]
    return results[0]
