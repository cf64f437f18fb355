"""Two simultaneous requests for one slot on the embedded default (a SQLite file): one holds it, the
other gets the "time taken" answer (409), never a "database is locked" 500 (issue 19).

Real threads and connections in a separate process with its own database file (the suite's own
SQLite test database lives in memory, where locking works differently, or is PostgreSQL)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_two_simultaneous_holds_of_one_slot_on_sqlite_one_wins_one_is_told_it_is_taken(tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "TEST_REDIS_URL", "CELERY_BROKER_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "talentvisa.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bookings.tests.sqlite_race"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [200, 409] or outcome["statuses"] == [302, 409], (outcome, done.stderr[-3000:])
    assert outcome["taken_message"] and outcome["holds"] == 1
