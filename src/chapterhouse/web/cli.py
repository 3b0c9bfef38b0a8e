"""``chapterhouse serve`` and ``chapterhouse setup``, and the hand-off to Django's management commands."""

from __future__ import annotations

import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()


def run_django_command(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chapterhouse", *argv])
    return 0


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the web app (waitress)")
    serve.add_argument("--host", default=os.environ.get("CHAPTERHOUSE_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("CHAPTERHOUSE_PORT", "8000")))
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(handler=serve_app)

    setup = subparsers.add_parser("setup", help="migrate the database and load the default call if absent")
    setup.add_argument("--demo", action="store_true", help="also create demo accounts and sample proposals, and print the logins")
    setup.set_defaults(handler=setup_site)

    manage = subparsers.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs="*")
    manage.set_defaults(handler=lambda args: run_django_command(args.rest or ["help"]))


def setup_site(args) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("setup_site", demo=args.demo)
    return 0


def serve_app(args) -> int:
    setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from waitress import serve

    from chapterhouse.web.limits import max_request_bytes
    from chapterhouse.wsgi import application

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database is not up to date: run `chapterhouse setup` first.", file=sys.stderr)
        return 1
    print(f"chapterhouse is running at http://{args.host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    serve(application, host=args.host, port=args.port, threads=args.threads, ident="chapterhouse",
          max_request_body_size=max_request_bytes())
    return 0

