"""End-to-end fixtures: a live server on the test database, and Debian's Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import TenantFixture, _provision
from tests.live import LiveServer, database_url, end_other_sessions, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
    (the per-test transaction) as "async unsafe". They are not: the loop only drives the browser.
    Allowed for this package only, restored afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server_process(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    with LiveServer(database_url=url, workers=2) as server:
        yield server
    with django_db_blocker.unblock():
        end_other_sessions()  # so that the test database can be dropped


@dataclass(frozen=True)
class LiveSite:
    """Pages and streams behind one address, as `make run` serves them (saas/devproxy.py)."""

    port: int

    def url_for(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="session")
def live_site(live_server_process: LiveServer, stream_server: LiveServer) -> Iterator[LiveSite]:
    from saas import devproxy
    from saas.live.streams import is_stream_path

    port = free_port()
    loop = asyncio.new_event_loop()
    task = loop.create_task(
        devproxy.serve(
            [("127.0.0.1", port)],
            ("127.0.0.1", live_server_process.port),
            ("127.0.0.1", stream_server.port),
            is_stream_path,
        )
    )
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield LiveSite(port)

    async def shut_down() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run_coroutine_threadsafe(shut_down(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.fixture(scope="session")
def live_tenant(django_db_setup, django_db_blocker) -> TenantFixture:
    """A business committed for the live server (which cannot see a test's open transaction)."""
    with django_db_blocker.unblock():
        return _provision("livetours", "Live Tours")


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    # Package scope, not session: Playwright's sync API keeps an event loop running in this
    # thread while the browser is open, which makes every later (non-browser) ORM call fail.
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (make test does as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
