"""The production web server behind ``chapterhouse serve``: gunicorn, one process per core, threads in each.

One waitress process held the whole site to one core (the GIL), so fifty people queued behind each other. The
arbiter forks its workers after Django and scikit-learn are loaded, so they share that memory; the kernel spreads
connections over them. What a request looks like to Django is unchanged from waitress: the same trusted-proxy
translation (waitress' own middleware: REMOTE_ADDR, scheme and host from the trusted proxy's X-Forwarded-*
headers, every such header from anyone else dropped) and the same cap on a body sent without a length.
"""

from __future__ import annotations

import io
import os


def default_processes() -> int:
    """``$CHAPTERHOUSE_WEB_PROCESSES``, else one per core this process may run on."""
    configured = os.environ.get("CHAPTERHOUSE_WEB_PROCESSES", "").strip()
    if configured:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def trusting_proxy(application, proxy: dict):
    """``application`` behind waitress' trusted-proxy translation; with no trusted proxy, every X-Forwarded-*
    header is dropped, so a client cannot claim another address or https."""
    from waitress.proxy_headers import proxy_headers_middleware

    return proxy_headers_middleware(
        application,
        trusted_proxy=proxy.get("trusted_proxy"),
        trusted_proxy_count=proxy.get("trusted_proxy_count", 1),
        trusted_proxy_headers=set(proxy.get("trusted_proxy_headers", "").split()),
        clear_untrusted=True,
    )


def capping_unsized_bodies(application, limit: int):
    """A chunked body (no Content-Length) is read up to ``limit`` bytes and refused past it, as waitress'
    ``max_request_body_size`` did; a body with a length is judged by RequestSizeLimitMiddleware unread."""

    def capped(environ, start_response):
        if environ.get("CONTENT_LENGTH") or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return application(environ, start_response)
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            start_response("413 Request Entity Too Large", [("Content-Type", "text/plain; charset=utf-8"),
                                                            ("Connection", "close")])
            return [b"The request is too large. Nothing you sent was stored.\n"]
        environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        return application(environ, start_response)

    return capped


def server_options(host: str, port: int, processes: int, threads: int) -> dict:
    """gunicorn's settings. gunicorn itself believes no forwarded header (the middleware above decides)."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        # gthread's main loop tells the arbiter it is alive while requests run in the threads, so a long request
        # (an assignment run) is not cut short: this only replaces a worker whose loop itself is stuck.
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "control_socket_disable": True,  # no socket under $HOME, which systemd's ProtectHome hides
        "proc_name": "chapterhouse",
    }


def run(application, options: dict) -> None:
    """Runs the arbiter in this process until SIGTERM (graceful) or SIGINT."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


def serve(application, *, host: str, port: int, processes: int, threads: int, proxy: dict) -> None:
    from django.db import connections

    from chapterhouse.web.limits import max_request_bytes

    connections.close_all()  # a connection opened before the fork must not be shared by the workers
    wrapped = trusting_proxy(capping_unsized_bodies(application, max_request_bytes()), proxy)
    run(wrapped, server_options(host, port, processes, threads))
