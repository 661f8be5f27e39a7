"""gunicorn settings for the page server (WSGI, threaded workers; DESIGN.md §5).

Everything can be overridden from the environment so that one file serves development (make run)
and production (the Dockerfile).
"""

import multiprocessing
import os

_port = os.environ.get("PORT", "8000")
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{_port}").split(",")
wsgi_app = "saas.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(4, multiprocessing.cpu_count() * 2))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Tourdesk does not use gunicorn's runtime control socket; off, so that several servers (tests,
# benchmarks, development) never contend for the same socket path.
control_socket_disable = True
