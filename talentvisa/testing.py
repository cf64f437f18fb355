"""Helpers shared by the test suites (imported by tests only)."""

import threading

import pytest
from django.db import connection


def needs_postgres():
    """Skip unless real concurrent transactions are available."""
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises whole-database writes")


def run_concurrently(callables) -> list:
    """Start every callable in its own thread at the same instant; return outcomes or exceptions.

    Each thread has its own database connection (closed at the end), so on PostgreSQL these
    really are concurrent transactions. Use with django_db(transaction=True).
    """
    barrier = threading.Barrier(len(callables))
    results, lock = [], threading.Lock()

    def worker(fn):
        try:
            barrier.wait()
            outcome = fn()
        except Exception as exc:  # noqa: BLE001 - collected and asserted on by the caller
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in callables]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
