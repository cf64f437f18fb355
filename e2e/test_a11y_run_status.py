"""The AI run page's status poll: nothing is replaced while the status holds, keyboard focus stays
on the Refresh link through every poll and the end, and the end is announced in the live region."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun
from ai_tools.tests.factories import AIRunFactory

from .test_booking_journey import _login

pytestmark = pytest.mark.django_db(transaction=True)


def test_status_poll_keeps_focus_and_announces_completion(page, live_server, shoot):
    user = UserFactory(email="poll@example.com")
    run = AIRunFactory(user=user, status=AIRun.Status.RUNNING, result=None)
    _login(page, live_server, user)
    polls = []
    page.on("response", lambda r: polls.append(r.status) if f"/tools/runs/{run.pk}/?seen=" in r.url else None)
    page.goto(f"{live_server.url}/tools/runs/{run.pk}/")
    page.locator("#run-refresh").focus()
    page.evaluate("document.getElementById('run-status').dataset.marker = 'original'")

    # Three polls with the same status: 204, the panel is the same node, focus never moved.
    page.wait_for_timeout(6_500)
    assert polls and set(polls) == {204}, polls
    assert page.evaluate("document.getElementById('run-status').dataset.marker") == "original"
    expect(page.locator("#run-refresh")).to_be_focused()
    expect(page.get_by_test_id("announcer")).to_have_text("")

    # It finishes: the next poll answers 286, polling stops, focus stays on the (same-id) link, announced.
    AIRunFactory._meta.model.objects.filter(pk=run.pk).update(status=AIRun.Status.SUCCEEDED)
    expect(page.get_by_test_id("run-finished")).to_have_text("CV analysis: your result is ready.", timeout=5_000)
    expect(page.get_by_test_id("announcer")).to_have_text("CV analysis: your result is ready.")
    expect(page.locator("#run-refresh")).to_be_focused()
    expect(page.locator("#run-badge")).to_have_text("Finished")  # the header's badge follows, out of band
    shoot("a11y-run-finished")
    count = len(polls)
    page.wait_for_timeout(4_500)
    assert polls[-1] == 286 and len(polls) == count  # no poll after the end
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/tools/runs/{run.pk}/$"))
    expect(page.get_by_test_id("run-status").first).to_have_text("Finished")
