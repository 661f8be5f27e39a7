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
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
    ) -> None:
        self.port = port or free_port()
        self.database_url = database_url
        self.env = dict(env or {})
        self.workers = workers
        self.threads = threads
        self.settings_module = settings_module
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / ".data" / f"live-server-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, host: str, path: str = "/") -> str:
        """The URL a browser uses: ``*.localhost`` resolves to loopback in Chromium."""
        return f"http://{host}:{self.port}{path}"

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_ACCESS_LOG": "",
            "DEBUG": "1",
            "PORT": str(self.port),
            # A real server invalidates its routing cache over LISTEN/NOTIFY, as in production.
            "ROUTING_LISTENER": "1",
            **self.env,
        }
        env.pop("TOURDESK_EMBEDDED_DB", None)
        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()
        return self

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
