"""Result pages at phone width (390 px) with long unbroken words and URLs, and the slot picker's
date strip: nothing may make the page scroll sideways (a result page was once 487 px wide; the
date strip's screen-reader text made the picker 1006 px until its links were positioned)."""

import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun
from ai_tools.providers.local import LocalProvider
from ai_tools.results import StatementFacts
from ai_tools.tests.builders import cv_text
from ai_tools.tests.factories import TODAY, AIRunFactory, DocumentFactory
from bookings.models import Booking
from bookings.tests.conftest import confirmed_booking

from .conftest import PHONE
from .test_booking_journey import _expert, _login

pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://github.com/amaraokafor/reconciliation-engine-benchmarks-and-evaluation-harness/blob/main/README.md"
LONG_WORD = "Supercalifragilisticexpialidocious-reconciliation-infrastructure-engineering"


def _long_cv() -> str:
    text = cv_text("strong_talent")
    return text.replace(
        "- Designed and built the reconciliation engine",
        f"- Published the benchmarks at {LONG_URL} ({LONG_WORD}).\n- Designed and built the reconciliation engine",
    ).replace("github.com/amaraokafor", LONG_URL)


def _runs(user):
    provider = LocalProvider(today=TODAY)
    text = _long_cv()
    document = DocumentFactory(owner=user, text=text, original_filename=f"{LONG_WORD}-curriculum-vitae-final-v7.pdf")
    cv = provider.analyse_cv(text, "digital_technology", None, 2, False).model_dump(mode="json")
    draft = provider.generate_statement(
        StatementFacts(
            why_uk=f"London has the densest fintech ecosystem in Europe ({LONG_URL}).",
            planned_occupation=f"Staff engineer ({LONG_WORD})",
            where_in_uk="London",
            benefit_to_uk=f"I will mentor engineers and open-source our tools at {LONG_URL}.",
            target_criteria=["OC2", "OC3"],
        )
    ).model_dump(mode="json")
    statement = (
        f"I maintain {LONG_WORD}, published at {LONG_URL}. I have always been passionate about technology. "
        "I am a world-class engineer who built many systems used by numerous customers.\n\n"
        "I meet the mandatory criterion through my keynote at PyCon Africa 2024."
    )
    review = provider.enhance_statement(statement, None).model_dump(mode="json")
    return document, [
        AIRunFactory(user=user, document=document, result=cv),
        AIRunFactory(user=user, tool=AIRun.Tool.STATEMENT_GENERATE, document=None, input={}, result=draft),
        AIRunFactory(
            user=user, tool=AIRun.Tool.STATEMENT_ENHANCE, document=None, input={"draft": statement}, result=review
        ),
    ]


def _overflow(page):
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest('[data-scroll-x]'))
            .map(e => e.tagName + '.' + (e.className || '').toString().slice(0, 60) + ' ' + Math.round(e.getBoundingClientRect().right));
          const text = document.querySelector('main').innerText;
          return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5),
                  url: text.includes('reconciliation-engine-benchmarks'), word: text.includes('Supercalifragilistic')};
        }"""
    )


def test_result_pages_do_not_scroll_sideways_at_phone_width(page, live_server, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    user = UserFactory(email="wide@example.com")
    document, runs = _runs(user)
    page.set_viewport_size(PHONE)
    _login(page, live_server, user)
    found = {}
    for run in runs:
        page.goto(f"{live_server.url}/tools/runs/{run.pk}/")
        found[str(run.tool)] = _overflow(page)
    page.goto(f"{live_server.url}/tools/cv-analysis/documents/{document.pk}/")
    found["what we read"] = _overflow(page)
    page.goto(f"{live_server.url}/tools/history/")
    found["history"] = _overflow(page)

    # What a client writes when booking (links pasted into the questions) on both sides' pages.
    expert = _expert()
    now = dt.datetime.now(dt.UTC)
    start = (now + dt.timedelta(days=5)).replace(hour=11, minute=0, second=0, microsecond=0)
    booking = confirmed_booking(
        client=user, session_type=expert.session_types.get(duration_minutes=60), start=start, now=now
    )
    Booking.objects.filter(pk=booking.pk).update(questions=f"Please read {LONG_URL} first. {LONG_WORD}?")
    for name, path in (
        ("booking", f"/bookings/{booking.pk}/"),
        ("bookings", "/bookings/"),
        # The date strip scrolls inside itself; its screen-reader text must not widen the page.
        ("slot picker", f"/bookings/{booking.pk}/reschedule/"),
    ):
        page.goto(live_server.url + path)
        found[name] = _overflow(page)
    page.context.clear_cookies()
    _login(page, live_server, expert.user)
    for name, path in (
        ("expert consultations", "/consultations/expert/"),
        ("expert booking", f"/consultations/expert/{booking.pk}/"),
        ("expert bookings", "/bookings/expert/"),
    ):
        page.goto(live_server.url + path)
        found[name] = _overflow(page)
    print(found)
    assert all(f["scroll"] <= PHONE["width"] for f in found.values()), found
