"""A crashed worker never keeps the user's money: the sweeper and re-delivery fail and refund the run."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Wallet
from ai_tools import services
from ai_tools.models import AIRun
from ai_tools.tasks import run_ai_job, stuck_runs_sweep_task

from .factories import DocumentFactory, funded_user

pytestmark = pytest.mark.django_db


def _queued_run(*, points=50):
    user = funded_user(points=points)
    run = services.ai_run_create(
        user=user,
        tool=AIRun.Tool.CV_ANALYSIS,
        input={"route": "digital_technology", "category_hint": None},
        document=DocumentFactory(owner=user),
    )
    return user, run


def _claimed_run(*, started_ago: dt.timedelta):
    """A run a worker claimed `started_ago` and then died with (no result, no failure)."""
    user, run = _queued_run()
    run = AIRun.objects.get(pk=run.pk)
    services.ai_run_transition(run=run, to=AIRun.Status.RUNNING, note="claimed by worker")
    AIRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - started_ago)
    return user, run


def _points(user):
    return Wallet.objects.get(pk=user.pk).points_balance


def test_sweeper_fails_and_refunds_a_run_stuck_past_the_hard_time_limit():
    user, run = _claimed_run(started_ago=dt.timedelta(seconds=settings.AI_TASK_TIME_LIMIT + 31))
    assert _points(user) == 40

    assert stuck_runs_sweep_task() == 1

    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.refunded
    assert "refunded" in run.error_message
    assert _points(user) == 50
    # Sweeping again (the next minute, or two beats at once) refunds nothing more.
    assert services.ai_runs_fail_stuck() == 0
    assert _points(user) == 50


def test_sweeper_leaves_a_run_that_may_still_be_working():
    user, run = _claimed_run(started_ago=dt.timedelta(seconds=settings.AI_TASK_TIME_LIMIT - 5))

    assert services.ai_runs_fail_stuck() == 0

    run.refresh_from_db()
    assert run.status == AIRun.Status.RUNNING and _points(user) == 40


def test_sweeper_fails_a_queued_run_the_broker_lost_but_not_a_fresh_one():
    user, lost = _queued_run()
    AIRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - services.QUEUED_TOO_LONG - dt.timedelta(1))
    other, fresh = _queued_run()

    assert services.ai_runs_fail_stuck() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == AIRun.Status.FAILED and lost.refunded and _points(user) == 50
    assert fresh.status == AIRun.Status.QUEUED and _points(other) == 40


def test_sweeper_never_touches_finished_runs():
    user, run = _queued_run()
    services.ai_run_execute(run_id=run.pk)
    AIRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - dt.timedelta(days=1))

    assert services.ai_runs_fail_stuck() == 0
    run.refresh_from_db()
    assert run.status == AIRun.Status.SUCCEEDED and _points(user) == 40


def test_a_redelivered_running_run_is_failed_and_refunded_not_run_again():
    """The message of a worker killed mid-run comes back (reject_on_worker_lost): refund at once."""
    user, run = _claimed_run(started_ago=dt.timedelta(seconds=3))

    run_ai_job(run.pk)  # the re-delivery

    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.refunded and run.result is None
    assert _points(user) == 50
    run_ai_job(run.pk)  # delivered yet again: nothing more happens
    assert _points(user) == 50


def test_the_task_requeues_on_a_lost_worker_and_the_sweeper_is_scheduled():
    assert run_ai_job.acks_late and run_ai_job.reject_on_worker_lost
    beat = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat["ai_tools.stuck_runs_sweep"] <= 60
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.AI_TASK_TIME_LIMIT and visibility > 900  # the longest task (payout run)
