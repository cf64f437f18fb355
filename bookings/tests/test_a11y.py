"""Accessibility of the wizard's htmx swaps: one live region outside what is swapped, announced
out of band; date links whose accessible name contains their visible text (WCAG 2.5.3)."""

import re

import lxml.html
import pytest

from expert_marketplace.tests.factories import area

from .factories import expert_with_session
from .test_views_wizard import _chosen, _state
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def test_page_has_one_live_region_outside_the_swapped_picker(signed_in, clock):
    _chosen(signed_in)
    html = signed_in.get("/bookings/new/time/").content.decode()
    doc = lxml.html.fromstring(html)
    live = doc.xpath("//*[@aria-live]")
    assert [el.get("id") for el in live] == ["announcer"]
    assert not doc.xpath("//*[@id='slot-picker']//*[@aria-live or @role='status']")
    assert live[0].getparent().tag == "body"


def test_date_swap_announces_the_times_out_of_band(signed_in, clock):
    _chosen(signed_in)
    html = signed_in.get("/bookings/new/time/?date=2027-03-03", HTTP_HX_REQUEST="true").content.decode()
    fragments = lxml.html.fragments_fromstring(html)
    oob = [f for f in fragments if not isinstance(f, str) and f.get("hx-swap-oob")]
    assert len(oob) == 1 and oob[0].get("id") == "announcer" and oob[0].get("hx-swap-oob") == "innerHTML"
    times = fragments[0].xpath(".//*[@data-testid='times']//button")
    assert times and _squash(oob[0].text_content()) == f"Wednesday 3 March: {len(times)} free times."
    # The heading the focus moves to after the swap can take focus.
    heading = fragments[0].xpath(".//*[@data-focus-on-swap]")[0]
    assert heading.get("tabindex") == "-1" and heading.get("id") == "times-heading"
    # A whole page (no swap) announces nothing.
    assert "hx-swap-oob" not in signed_in.get("/bookings/new/time/?date=2027-03-03").content.decode()


def test_date_links_accessible_name_contains_visible_text(signed_in, clock):
    _chosen(signed_in)
    doc = lxml.html.fromstring(signed_in.get("/bookings/new/time/").content.decode())
    links = doc.xpath("//*[@data-testid='date-strip']//a")
    assert links
    for link in links:
        assert link.get("aria-label") is None and link.get("aria-labelledby") is None
        visible = " ".join(_squash(s.text_content()) for s in link.xpath("./span[not(contains(@class, 'sr-only'))]"))
        name = _squash(link.text_content())
        visible = visible.strip()
        assert re.fullmatch(r"\d{1,2}", visible), visible  # the day number in the month grid
        assert name.startswith(visible) and re.search(r", \d+ free times?$", name), name


def test_step1_area_swap_announces_lengths(signed_in, clock):
    expert_with_session(minutes=30, price_pence=5000, areas=[area()])
    expert_with_session(minutes=90, price_pence=20000)
    html = signed_in.get("/bookings/new/?area=digital-technology", HTTP_HX_REQUEST="true").content.decode()
    assert "aria-live" not in html
    fragments = [f for f in lxml.html.fragments_fromstring(html) if not isinstance(f, str)]
    oob = [f for f in fragments if f.get("hx-swap-oob")]
    assert len(oob) == 1 and _squash(oob[0].text_content()) == "1 session length available."


def test_step2_has_no_button_inside_a_definition_list(signed_in, clock):
    expert_with_session(minutes=60, price_pence=9000, display_name="Ada Lovelace")
    expert_with_session(minutes=60, price_pence=12000, display_name="Ben Carter")
    _state(signed_in, minutes=60)
    doc = lxml.html.fromstring(signed_in.get("/bookings/new/expert/").content.decode())
    assert doc.xpath("//*[@data-testid='any-expert']") and doc.xpath("//button[@value='any']")
    assert not doc.xpath("//dl//button")
    for dl in doc.xpath("//dl"):  # a <dl> holds only dt/dd, or div groups of them
        for child in dl:
            assert child.tag in ("dt", "dd") or (child.tag == "div" and all(c.tag in ("dt", "dd") for c in child))


def test_upcoming_wizard_step_numbers_have_enough_contrast(signed_in, clock):
    _chosen(signed_in)
    html = signed_in.get("/bookings/new/time/").content.decode()
    doc = lxml.html.fromstring(html)
    upcoming = doc.xpath("//nav[@aria-label='Booking progress']//li[not(@aria-current)]/span[1]")
    numbers = [s for s in upcoming if s.text_content().strip().isdigit()]
    assert numbers
    for span in numbers:  # slate-500 on slate-100 is 4.34:1; slate-600 on slate-100 is 6.9:1
        assert "text-slate-600" in span.get("class") and "text-slate-500" not in span.get("class")
