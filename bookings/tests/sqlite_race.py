"""Run by test_sqlite_race.py in its own process: two clients POST the same slot at the same instant
to a file-backed SQLite database (the embedded default), each request on its own thread and
connection, and print the two status codes and how many holds exist, as JSON.

The hold's transaction is slowed after it has read the expert's calendar (0.5 s), so the two
transactions really overlap: the loser meets SQLite's write lock, not a finished winner.
"""

import importlib
import json
import threading
import time

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.tests.factories import UserFactory
    from bookings.models import Booking
    from bookings.services import holds
    from bookings.tests.factories import NOW, expert_with_session

    call_command("migrate", verbosity=0, interactive=False)
    for module in ("bookings.views.new", "bookings.views.client", "bookings.views.expert"):
        importlib.import_module(module).now = lambda: NOW
    _, session = expert_with_session(minutes=60)
    clients = []
    for i in range(2):
        browser = Client(raise_request_exception=False)  # a crash is the 500 a visitor would see
        browser.force_login(UserFactory(email=f"racer{i}@example.com", timezone="Europe/London"))
        assert browser.get("/bookings/new/start/", {"session": session.pk}).status_code == 302
        clients.append(browser)
    connection.close()

    original = holds.experts_lock

    def slow_lock(**kwargs):
        locked = original(**kwargs)
        time.sleep(0.5)
        return locked

    holds.experts_lock = slow_lock
    barrier = threading.Barrier(2)
    statuses, bodies = [], []

    def post(browser):
        barrier.wait()
        try:
            response = browser.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
            statuses.append(response.status_code)
            bodies.append(response.content.decode()[:20000])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(browser,)) for browser in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = any(
        "someone has just booked that time" in body or "that time is not available (any more)" in body
        for body in bodies
    )
    print(json.dumps({"statuses": sorted(statuses), "holds": Booking.objects.count(), "taken_message": taken}))


if __name__ == "__main__":
    main()
