"""Embedded PostgreSQL for development and tests (DESIGN.md §7).

When ``DATABASE_URL`` is unset, the run and test commands use a PostgreSQL server that pgserver
starts from ``.data/pg`` inside the checkout. pgserver keeps a per-data-directory list of the
processes holding the server and an inter-process lock, so two processes (``make run`` and
``make test``, say) share one server safely; the last one to exit stops it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "tourdesk"


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server and return a URL for the ``tourdesk`` database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers) and falls back to /tmp.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: production never needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    # DATABASE_NAME is a constant of this module, not input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    url: str = server.get_uri(DATABASE_NAME)
    logger.debug("embedded PostgreSQL at %s", url)
    return url


def ensure_database_url(base_dir: Path) -> str:
    """Return ``DATABASE_URL``, starting the embedded server and exporting its URL when unset.

    Exporting it means child processes (gunicorn workers, server processes started by tests)
    connect to the same server instead of each starting their own.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = embedded_database_url(base_dir / ".data")
        os.environ["DATABASE_URL"] = url
        os.environ["TOURDESK_EMBEDDED_DB"] = "1"
    return url
