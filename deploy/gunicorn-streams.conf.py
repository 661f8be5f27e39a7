"""gunicorn settings for the stream server (ASGI, uvicorn workers; DESIGN.md §5).

Serves only the long-lived Datastar streams (saas.live.streams); the proxy sends the stream
paths here and everything else to the page server (deploy/gunicorn.conf.py). Measured on this
project's machines: uvicorn's gunicorn worker accepted 5,000 streams in 25 s where gunicorn's
native asgi worker accepted 3,238 in 120 s. See docs/performance.md for the fan-out figures.
"""

import gc
import os
import resource

_port = os.environ.get("STREAM_PORT", "8001")
bind = os.environ.get("STREAM_BIND", f"0.0.0.0:{_port}").split(",")
wsgi_app = "saas.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
workers = int(os.environ.get("STREAM_WORKERS", "1"))
timeout = 30
graceful_timeout = 5  # streams never finish by themselves; clients reconnect and get full state
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
control_socket_disable = True
# Connections are only used briefly (a session check at connect, one render per change) and the
# pool (two connections at most) shrinks to none after a few idle seconds: idle streams hold no
# database connection, and the hub's listener is the process's one long-lived connection.
raw_env = [
    "DB_POOL_MIN=0",
    "DB_POOL_MAX=2",
    "DB_POOL_MAX_IDLE=2",
    "DB_APPLICATION_NAME=tourdesk-streams",
    # The hub's listening connection also clears the routing cache (saas/live/hub.py): one
    # long-lived connection per process instead of two.
    "ROUTING_LISTENER=0",
]
worker_connections = int(os.environ.get("STREAM_MAX_CONNECTIONS", "20000"))

# One open file per stream: raise the soft limit to the hard limit.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if _soft < _hard:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))


def post_worker_init(worker: object) -> None:
    """Keep the cyclic garbage collector from pausing every stream at once.

    With 10,000 open streams a full collection walks every task, queue and transport: measured
    on the 2-core development machine (bench/live_fanout.py, 10,000 streams, 10 changes), it
    made one change in five take ~2 s to reach every stream (p50 830 ms, p99 2,073 ms). Freezing
    what start-up loaded (it lives as long as the process) and collecting the young generation
    less often gave p50 424 ms, p99 881 ms. Streams create few reference cycles, so memory is
    unaffected (RSS 227 MB in both runs).
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
