"""Issue 7 §2: many people submitting at once lose nothing, on SQLite (the default) and on PostgreSQL.

The server test starts a real `chapterhouse serve` (gunicorn, a process per core, 8 threads each) on a fresh data folder, or on a fresh
PostgreSQL database when DATABASE_URL names one, and sends concurrent submissions with attachments through
benches/load.py's client; every POST must give a receipt and every receipt must be a whole stored proposal.
"""

import importlib.util
import socket
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from chapterhouse.proposals.intake import next_number

BENCH = Path(__file__).resolve().parents[2] / "benches" / "load.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("chapterhouse_load_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.database  # its server runs on the database DATABASE_URL names (a fresh one of its own)
def test_concurrent_submissions_all_get_a_receipt_and_are_stored_whole(tmp_path):
    bench = load_bench()
    port = free_port()
    env = bench.server_env(port, str(tmp_path / "data"))
    server = bench.start_server(port, env, threads=8)
    try:
        results, receipts, lock = [], [], threading.Lock()
        attachment = bench.outline_docx()
        base = f"http://127.0.0.1:{port}"

        def author():
            for _ in range(4):
                bench.Visitor(base, results, lock).submit("dscu-fms-2024", attachment, receipts)

        threads = [threading.Thread(target=author) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    failed = [(kind, status) for kind, _, ok, status in results if not ok]
    assert failed == []
    assert len(receipts) == 24
    assert bench.verify_receipts(receipts, env) == []


def test_numbers_come_from_the_counter_one_after_another(call):
    with transaction.atomic():
        first = next_number(call)
    with transaction.atomic():
        second = next_number(call)
    assert (first, second) == (1, 2)


def test_a_rolled_back_submission_gives_its_number_back_and_none_is_reused_once_stored(call):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        next_number(call)
        raise Abort
    with transaction.atomic():
        assert next_number(call) == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_transactions_never_share_a_number(call):
    if connection.vendor != "postgresql":
        pytest.skip("threads share one in-memory SQLite test database; the server test above covers SQLite")
    numbers, errors = [], []

    def take():
        try:
            with transaction.atomic():
                numbers.append(next_number(call))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(numbers) == list(range(1, 13))
