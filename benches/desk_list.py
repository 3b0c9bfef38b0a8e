"""Editors' desk under load: seeds 2,000 proposals and prints the list view's query count and server time.

Run by hand: `.venv/bin/python benches/desk_list.py [N]`. Uses a throw-away SQLite database (or DATABASE_URL).
The reference is the same page with 20 proposals: the query count must be equal, and time should grow far
slower than the row count (the page shows 50 rows; counting and the chart aggregate in SQL).
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("CHAPTERHOUSE_DATA", tempfile.mkdtemp(prefix="chapterhouse-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from chapterhouse.accounts.roles import EDITOR, ensure_groups  # noqa: E402
from chapterhouse.call.loading import install_call_file  # noqa: E402
from chapterhouse.proposals.models import Proposal, ProposalAuthor  # noqa: E402

REPEATS = 15


def seed(call, count: int, start: int, contact) -> None:
    themes = list(call.themes.all())
    proposals = [
        Proposal(call=call, theme=themes[n % len(themes)], number=n, reference=f"FMS-{n:05d}",
                 title=f"Proposal {n} on security cooperation case reform", abstract="Words " * 250,
                 keywords="process, reform", attested_unclassified_at=timezone.now(), contact_user=contact,
                 scope_flagged=n % 7 == 0, abstract_words=250, search_text=f"fms-{n:05d} proposal {n} reform")
        for n in range(start, start + count)
    ]
    Proposal.objects.bulk_create(proposals, batch_size=500)
    stored = Proposal.objects.filter(number__gte=start, number__lt=start + count)
    ProposalAuthor.objects.bulk_create(
        [ProposalAuthor(proposal=p, position=i, name=f"Author {p.number}-{i}", email=f"a{p.number}-{i}@example.org",
                        affiliation="Example University", bio="Bio.", is_contact=i == 0)
         for p in stored for i in range(2)], batch_size=1000)


def count_queries(client, url, params) -> int:
    """Queries one request makes, logged through Django's debug cursor."""
    connection.force_debug_cursor = True
    request_started.disconnect(reset_queries)
    try:
        connection.queries_log.clear()
        assert client.get(url, params).status_code == 200
        return len(connection.queries_log)
    finally:
        connection.force_debug_cursor = False
        request_started.connect(reset_queries)


def measure(client, url, params=None) -> tuple[int, float]:
    queries = count_queries(client, url, params or {})
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url, params or {})
        times.append(time.perf_counter() - started)
    return queries, statistics.median(times) * 1000


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call = install_call_file(settings.CHAPTERHOUSE_DEFAULT_CALL)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("bench-editor", "e@example.org", "x")
    editor.groups.add(ensure_groups()[EDITOR])
    client = Client()
    client.force_login(editor)
    url = f"/desk/calls/{call.slug}/proposals/"

    print(f"database: {connection.vendor}; median of {REPEATS} requests each\n")
    print(f"{'proposals':>9}  {'page':<26} {'queries':>7}  {'ms':>7}")
    results = {}
    seeded = 0
    for size in (20, total):
        seed(call, size - seeded, seeded + 1, editor)
        seeded = size
        for label, params in (("list, newest first", None), ("search 'reform', by title", {"q": "reform", "sort": "title"}),
                              ("filter flag=scope", {"flag": "scope"})):
            results[(size, label)] = measure(client, url, params)
            q, ms = results[(size, label)]
            print(f"{size:>9}  {label:<26} {q:>7}  {ms:>7.1f}")
        started = time.perf_counter()
        client.get(f"/desk/calls/{call.slug}/proposals.csv")
        print(f"{size:>9}  {'CSV export (all rows)':<26} {'':>7}  {(time.perf_counter() - started) * 1000:>7.1f}")
    print("\nratios against the 20-proposal reference:")
    for label in ("list, newest first", "search 'reform', by title", "filter flag=scope"):
        (q_small, t_small), (q_big, t_big) = results[(20, label)], results[(total, label)]
        print(f"  {label:<26} queries {q_big}/{q_small} = {q_big / q_small:.2f}×   time {t_big / t_small:.2f}× "
              f"for {total / 20:.0f}× the proposals")


if __name__ == "__main__":
    main()
