"""The Celery app the fault suite's worker runs (`celery -A faults.tests.slow_worker`):
the real app and tasks, with an AI provider slow enough to be killed mid-run. It writes the pid
of the process running the task to FAULT_PID_FILE first, so the test knows whom to kill."""

import os
import time

from celery.signals import worker_process_init

from talentvisa.celery import app

__all__ = ["app"]


class SlowProvider:
    name = "slow"

    def analyse_cv(self, *args, **kwargs):
        with open(os.environ["FAULT_PID_FILE"], "w") as f:
            f.write(str(os.getpid()))
        time.sleep(120)
        raise RuntimeError("not reached: the test kills this process")

    generate_statement = enhance_statement = analyse_cv


@worker_process_init.connect
def _slow_provider(**kwargs):
    from ai_tools import services

    services.get_provider = SlowProvider
