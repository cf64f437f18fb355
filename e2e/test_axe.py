"""axe-core over the key pages at phone (390 px) and laptop (1280 px) width: 0 violations.

axe-core is an npm devDependency (theme/static_src, installed by `make css`), injected into each
page by Playwright from node_modules; the browser context bypasses the site's CSP to do so."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import AIRunFactory, statement_run
from bookings.services import message_send
from bookings.tests.conftest import confirmed_booking

from .conftest import LAPTOP, PHONE
from .test_booking_journey import _expert

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent.parent / "theme" / "static_src" / "node_modules" / "axe-core" / "axe.min.js"


def _sign_in(context, base_url, user):
    """Log a user in by session cookie (the login form has its own journeys)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def _axe(page):
    """Violations at both widths: [(width, rule id, impact, first target, help)]."""
    found = []
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)  # transitions settle after a resize
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run(document)).violations")
        for v in result:
            found.append((size["width"], v["id"], v["impact"], v["nodes"][0]["target"], v["help"]))
    return found


@pytest.fixture
def axe_page(browser):
    assert AXE.exists(), "axe-core is missing: run `make css` (npm ci in theme/static_src)"
    context = browser.new_context(bypass_csp=True, viewport=LAPTOP)
    yield context, context.new_page()
    context.close()


def test_key_pages_have_no_axe_violations(axe_page, live_server, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    settings.MFA_REQUIRED_FOR_STAFF = False  # the staff dashboard itself, not the MFA enrolment
    context, page = axe_page
    base = live_server.url
    expert = _expert()
    _expert(email="ben@example.com", name="Ben Carter", slug="ben-carter", rating="4.50", price=9000)
    client = UserFactory(email="chidi@example.com", full_name="Chidi Anagonye", timezone="Europe/London")
    session = expert.session_types.get(duration_minutes=60)
    now = dt.datetime.now(dt.UTC)
    start = (now + dt.timedelta(days=6)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = confirmed_booking(client=client, session_type=session, start=start, now=now)
    cv_run = AIRunFactory(user=client)
    booking.shared_analyses.add(cv_run)  # the expert's booking page and its read-only analysis
    message_send(booking=booking, sender=client, body="Looking forward to it.\nTwo questions below.", now=now)
    draft_run = statement_run(user=client)
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True, role=User.Role.CLIENT)
    results = {}

    def check(name, path=None):
        if path:
            page.goto(base + path)
        results[name] = _axe(page)

    # Anyone.
    check("landing", "/")
    check("directory", "/experts/")
    check("profile", f"/experts/{expert.slug}/")

    # The client: dashboard, AI tools and results, bookings, the wizard's five steps.
    _sign_in(context, base, client)
    check("client dashboard", "/me/dashboard/")
    check("AI tools", "/tools/")
    check("CV analysis form", "/tools/cv-analysis/")
    check("statement draft form", "/tools/personal-statement/draft/")
    check("statement review form", "/tools/personal-statement/review/")
    check("CV analysis result", f"/tools/runs/{cv_run.pk}/")
    check("client booking page (messages)", f"/bookings/{booking.pk}/")
    check("statement draft result", f"/tools/runs/{draft_run.pk}/")
    check("AI history", "/tools/history/")
    check("bookings", "/bookings/")
    check("wizard 1 length", "/bookings/new/")
    page.locator("label:has(input[name=minutes][value='60'])").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/bookings/new/expert/$"))
    check("wizard 2 expert")
    page.get_by_role("button", name=re.compile(r"Choose Amara Okafor, Application review")).click()
    expect(page).to_have_url(re.compile(r"/bookings/new/time/"))
    target = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4)).date()
    page.locator(f"[data-testid=date-strip] a[data-day='{target.isoformat()}']").click()
    expect(page).to_have_url(re.compile(rf"date={target.isoformat()}"))
    check("wizard 3 time")
    page.get_by_test_id("times").locator("button").first.click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    check("wizard 4 intake")
    page.fill("textarea[name=questions]", "Is my open-source maintainer work enough for the innovation criterion?")
    page.locator("label[for=id_target_category_1]").click()
    page.check("input[name=agree_policy]")
    page.get_by_role("button", name=re.compile("Continue to review")).click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/review/$"))
    check("wizard 5 review")

    # The expert's pages.
    _sign_in(context, base, expert.user)
    check("expert overview", "/expert/")
    check("expert profile", "/expert/profile/")
    check("expert sessions", "/expert/sessions/")
    check("expert availability", "/expert/availability/")
    check("expert consultations", "/consultations/expert/")
    check("expert booking page (shared items, messages)", f"/consultations/expert/{booking.pk}/")
    check("expert shared CV analysis", f"/consultations/expert/{booking.pk}/analyses/{cv_run.pk}/")
    check("expert earnings", "/consultations/expert/earnings/")
    check("expert reviews", "/consultations/expert/reviews/")

    # Staff.
    _sign_in(context, base, staff)
    check("staff dashboard", "/staff/dashboard/")
    check("staff email templates", "/staff/emails/")
    check("staff email template editor", "/staff/emails/bookings.booking_confirmed.client/")

    violations = {name: found for name, found in results.items() if found}
    print(
        f"axe-core on {len(results)} pages x 2 widths:",
        json.dumps(violations, indent=1) if violations else "0 violations",
    )
    assert not violations, json.dumps(violations, indent=1)
