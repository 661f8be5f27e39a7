"""A development-only reverse proxy: one address in front of the page and stream servers.

In production nginx splits by path (deploy/nginx.conf). ``manage.py serve`` (``make run``) runs
this instead so that a developer needs nothing else: each request's path decides whether it goes
to the page server (gunicorn gthread, WSGI) or the stream server (gunicorn + uvicorn, ASGI).
Every client connection carries one request (the proxy asks both sides to close afterwards),
which keeps the proxy a plain byte pipe. Not for production: no TLS, no limits beyond the head.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 32\r\n"
    b"Connection: close\r\n\r\nThe server is still starting...\n"
)


def rewrite_head(head: bytes) -> tuple[bytes, str] | None:
    """The request head with ``Connection: close``, and its path; None if it is not HTTP."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None
    kept = [line for line in lines[1:] if line and not line.lower().startswith(b"connection:")]
    path = parts[1].decode("latin-1").split("?", 1)[0]
    return b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""]), path


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def make_handler(
    pages: tuple[str, int], streams: tuple[str, int], is_stream_path: Callable[[str], bool]
) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            head = await client_r.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            client_w.close()
            return
        rewritten = rewrite_head(head)
        if rewritten is None:
            client_w.write(BAD_REQUEST)
            client_w.close()
            return
        head, path = rewritten
        host, port = streams if is_stream_path(path) else pages
        try:
            up_r, up_w = await asyncio.open_connection(host, port)
        except OSError:
            client_w.write(BAD_GATEWAY)
            client_w.close()
            return
        up_w.write(head)
        await asyncio.gather(_pipe(client_r, up_w), _pipe(up_r, client_w))

    return handle


async def serve(
    binds: list[tuple[str, int]],
    pages: tuple[str, int],
    streams: tuple[str, int],
    is_stream_path: Callable[[str], bool],
) -> None:
    handler = make_handler(pages, streams, is_stream_path)
    servers = [
        await asyncio.start_server(handler, host, port, limit=MAX_HEAD)  # type: ignore[arg-type]
        for host, port in binds
    ]
    await asyncio.gather(*(server.serve_forever() for server in servers))
