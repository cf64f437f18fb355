"""A Celery worker killed with SIGKILL in the middle of an AI run: the user gets their points back;
in the middle of sending an e-mail: each recipient gets it exactly once after the re-delivery."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Wallet
from ai_tools import services
from ai_tools.models import AIRun
from ai_tools.tests.factories import DocumentFactory, funded_user
from talentvisa.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


def _wait(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker_env():
    """Extra environment for the worker (set by a test before it asks for `worker`)."""
    return {}


@pytest.fixture
def worker(fault_redis, needs_postgres_db, tmp_path, worker_env):
    """A real `celery worker` (prefork, 1 child) on the fault Redis and the test database."""
    db = connection.settings_dict
    pid_file = tmp_path / "task.pid"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentvisa.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": f"{fault_redis.url}/0",
        "CELERY_BROKER_URL": f"{fault_redis.url}/1",
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "FAULT_PID_FILE": str(pid_file),
        **worker_env,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "faults.tests.slow_worker",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),
    )
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"{fault_redis.url}/1", task_always_eager=False)
    try:
        yield process, pid_file
    finally:
        app.conf.update(previous)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _start_run(user):
    return services.ai_run_create(
        user=user,
        tool=AIRun.Tool.CV_ANALYSIS,
        input={"route": "digital_technology", "category_hint": None},
        document=DocumentFactory(owner=user),
    )


def _points(user):
    return Wallet.objects.get(pk=user.pk).points_balance


def test_killing_the_process_running_an_ai_run_refunds_it_at_once(worker):
    process, pid_file = worker
    user = funded_user(points=50)
    run = _start_run(user)  # charged 10, queued on commit
    assert _points(user) == 40

    child = int(_wait(lambda: pid_file.exists() and pid_file.read_text(), timeout=60, what="the run to start"))
    assert AIRun.objects.get(pk=run.pk).status == AIRun.Status.RUNNING
    killed_at = time.monotonic()
    os.kill(child, signal.SIGKILL)  # OOM killer, kill -9

    # reject_on_worker_lost puts the message back; the re-delivered run is failed and refunded.
    _wait(lambda: AIRun.objects.get(pk=run.pk).refunded, timeout=60, what="the refund")
    seconds = time.monotonic() - killed_at
    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and "refunded" in run.error_message
    assert _points(user) == 50
    print(f"\nworker process killed mid-run: refunded after {seconds:.1f} s")


def test_killing_the_whole_worker_leaves_the_run_to_the_sweeper(worker):
    process, pid_file = worker
    user = funded_user(points=50)
    run = _start_run(user)
    _wait(lambda: pid_file.exists(), timeout=60, what="the run to start")
    os.killpg(process.pid, signal.SIGKILL)  # the whole worker, its main process too: nobody re-queues
    process.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == AIRun.Status.RUNNING and _points(user) == 40  # stuck, money taken

    # The beat sweeper, as it runs once the hard time limit (+ grace) has passed.
    started = run.started_at
    assert services.ai_runs_fail_stuck(now=timezone.now()) == 0  # too early: it may still be working
    later = started + dt.timedelta(seconds=settings.AI_TASK_TIME_LIMIT) + services.RUNNING_GRACE + dt.timedelta(1)
    assert services.ai_runs_fail_stuck(now=later) == 1
    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.refunded and _points(user) == 50
    bound = settings.AI_TASK_TIME_LIMIT + services.RUNNING_GRACE.total_seconds() + 60
    print(f"\nwhole worker killed: refunded by the sweeper within {bound:.0f} s of the run starting")
    assert Path(pid_file).exists()


@pytest.fixture
def outbox(tmp_path, worker_env):
    path = tmp_path / "outbox.txt"
    worker_env.update({"FAULT_OUTBOX": str(path), "FAULT_HANG_FOR": "expert-killed@example.com"})
    return path


def test_killing_the_process_sending_an_email_sends_each_recipient_exactly_once(outbox, worker):
    from bookings.tasks import booking_email_task
    from bookings.tests.factories import BookingFactory
    from expert_marketplace.tests.factories import ExpertProfileFactory

    process, pid_file = worker
    booking = BookingFactory(expert=ExpertProfileFactory(user__email="expert-killed@example.com"))
    booking_email_task.delay(booking_id=booking.pk, template="booking_confirmed", recipients=["client", "expert"])

    # The client's e-mail is sent and committed; the process dies while sending the expert's.
    child = int(_wait(lambda: pid_file.exists() and pid_file.read_text(), timeout=60, what="the expert's send"))
    assert outbox.read_text().count(booking.client.email) == 1
    killed_at = time.monotonic()
    os.kill(child, signal.SIGKILL)

    # The message comes back at once (reject_on_worker_lost); the re-delivery skips the client.
    _wait(lambda: "expert-killed@example.com" in outbox.read_text(), timeout=60, what="the expert's e-mail")
    seconds = time.monotonic() - killed_at
    time.sleep(2)  # nothing else arrives late
    lines = outbox.read_text().splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == sorted([booking.client.email, "expert-killed@example.com"])
    print(f"\nworker process killed mid-send: the expert's e-mail sent {seconds:.1f} s later, each recipient once")
