"""ASGI entry point: the live streams (saas.live.streams) and, for everything else, Django.

In production the proxy sends only the stream paths here (deploy/nginx.conf); pages are served
by the threaded WSGI workers, which are faster for them (DESIGN.md §5).
"""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
django_application = get_asgi_application()

from saas.live.hub import get_hub  # noqa: E402  (needs Django set up)
from saas.live.streams import is_stream_path, stream_app  # noqa: E402


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                get_hub()  # connect the listener before the first stream arrives
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await get_hub().stop()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "http" and is_stream_path(scope["path"]):
        await stream_app(scope, receive, send)
        return
    await django_application(scope, receive, send)
