"""Keyboard only: the booking wizard from the service to the payment page with Tab and Enter
(plus the keys a radio group and a check box take: arrows and Space), and focus that never falls
to <body> when the date strip swaps in new times."""

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory

from .test_booking_journey import _expert, _login

pytestmark = pytest.mark.django_db(transaction=True)


def _tab_to(page, css, limit=80):
    """Press Tab until the focused element matches `css`; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(css)})"):
            return presses
    raise AssertionError(f"{css} not reached with {limit} Tab presses")


def _choose_radio(page, name, value):
    """Tab into a radio group (focus lands on its checked or first radio), arrow to `value`."""
    presses = _tab_to(page, f"input[type=radio][name={name}]")
    for _ in range(10):
        if page.evaluate(f"document.activeElement.value === {json.dumps(value)}"):
            page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.checked")
            return presses
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name}={value} not reached with the arrow keys")


def _focused(page):
    return page.evaluate(
        "(() => { const e = document.activeElement; return e === document.body ? 'body' : (e.id || e.tagName); })()"
    )


def test_booking_wizard_by_keyboard_from_service_to_payment(page, live_server, settings, shoot):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _expert()
    client = UserFactory(email="kai@example.com", full_name="Kai Keyboard", timezone="Europe/London")
    _login(page, live_server, client)
    page.goto(live_server.url + "/bookings/new/")
    presses = {}

    # 1. Length: the 60-minute radio, then Continue.
    presses["length"] = _choose_radio(page, "minutes", "60")
    presses["continue"] = _tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")

    # 2. Expert.
    expect(page).to_have_url(re.compile(r"/bookings/new/expert/$"))
    presses["expert"] = _tab_to(page, "button[name=choice][aria-label^='Choose Amara Okafor, Application review']")
    page.keyboard.press("Enter")

    # 3. A date: Enter swaps the times in; focus goes to the times heading, the next Tab to the first time.
    expect(page).to_have_url(re.compile(r"/bookings/new/time/"))
    target = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4)).date()
    presses["date"] = _tab_to(page, f"[data-testid=date-strip] a[data-day='{target.isoformat()}']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"date={target.isoformat()}"))
    expect(page.get_by_test_id("times-heading")).to_be_focused()
    assert _focused(page) == "times-heading"
    expect(page.get_by_test_id("announcer")).to_have_text(re.compile(rf"{target.day} \w+: \d+ free times?\.$"))
    shoot("a11y-keyboard-date-chosen")
    page.keyboard.press("Tab")
    first = page.get_by_test_id("times").locator("button").first
    expect(first).to_be_focused()
    presses["time"] = 1
    page.keyboard.press("Enter")

    # 4. Intake: type the questions, tick a category and the policy, continue.
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    _tab_to(page, "textarea[name=questions]")
    page.keyboard.type("Is my open-source work enough for the innovation criterion?")
    presses["category"] = _choose_radio(page, "target_category", "talent")
    presses["policy"] = _tab_to(page, "input[name=agree_policy]")
    page.keyboard.press("Space")
    presses["review"] = _tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")

    # 5. Review, then the (test-mode) payment page.
    expect(page).to_have_url(re.compile(r"/bookings/\d+/review/$"))
    presses["pay"] = _tab_to(page, "[data-testid=pay]")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("Test payment — no card is charged")
    print("Tab presses per step:", presses)
