"""The Celery app the fault suite's worker runs (`celery -A faults.tests.slow_worker`):
the real app and tasks, with an AI provider slow enough to be killed mid-run. It writes the pid
of the process running the task to FAULT_PID_FILE first, so the test knows whom to kill.

E-mail goes to FileOutbox: one line per delivered message in FAULT_OUTBOX (shared with the test
process); the first message to FAULT_HANG_FOR hangs (pid written first) so it can be killed mid-send."""

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


class FileOutbox:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            hang_for = os.environ.get("FAULT_HANG_FOR")
            marker = os.environ.get("FAULT_OUTBOX", "") + ".hung"
            if hang_for and hang_for in message.to and not os.path.exists(marker):
                open(marker, "w").close()
                with open(os.environ["FAULT_PID_FILE"], "w") as f:
                    f.write(str(os.getpid()))
                time.sleep(120)
            with open(os.environ["FAULT_OUTBOX"], "a") as f:
                f.write(f"{','.join(message.to)}\t{message.subject}\n")
        return len(messages)


@worker_process_init.connect
def _slow_provider(**kwargs):
    from django.conf import settings

    from ai_tools import services

    services.get_provider = SlowProvider
    if os.environ.get("FAULT_OUTBOX"):
        settings.EMAIL_BACKEND = "faults.tests.slow_worker.FileOutbox"
