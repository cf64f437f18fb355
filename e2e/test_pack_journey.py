"""The application pack in the browser: add evidence and watch the rules, fix one, export the pack,
check three letters and see the templated pair highlighted, share the plan with the booked expert."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.tests.factories import UserFactory
from ai_tools.tests.builders import make_pdf
from bookings.models import Booking
from bookings.tests.factories import BookingFactory

from .test_ai_tools_journey import _log_in

pytestmark = pytest.mark.django_db(transaction=True)
LETTERS = Path(__file__).resolve().parent.parent / "bench" / "corpus" / "letters" / "t10_heavy"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _pdf(tmp_path, name, text, pages=1):
    path = tmp_path / name
    path.write_bytes(
        make_pdf("\f".join(f"{text}\nPage {n + 1}. " + "More about the work. " * 10 for n in range(pages)))
    )
    return str(path)


def _add(page, path, *, title, proves, day, source, criterion=""):
    page.set_input_files("input[name=upload]", path)
    page.fill("input[name=title]", title)
    page.fill("textarea[name=proves]", proves)
    page.fill("input[name=evidence_date]", day)
    page.fill("input[name=source]", source)
    page.select_option("select[name=criterion]", criterion)
    page.get_by_role("button", name="Add to portfolio").click()


def _rule(page, code):
    return page.get_by_test_id(f"rule-{code}").first


def test_build_check_export_and_share_the_pack(page, live_server, shoot, tmp_path):
    user = UserFactory(email="ada@example.com", full_name="Ada Okafor")
    account_services.user_email_verified(user=user)  # 20 bonus points
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("landing-pack")).to_be_visible()
    shoot("pack-landing")
    _log_in(page, live_server, user)
    expect(page.get_by_test_id("dashboard-pack-card")).to_be_visible()
    shoot("pack-dashboard")
    page.get_by_role("link", name="My pack").first.click(force=True)
    expect(page).to_have_url(re.compile(r"/pack/$"))
    page.select_option("select[name=category]", "talent")
    page.select_option("select[name=first_optional]", "OC2")
    page.select_option("select[name=second_optional]", "OC3")
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator("main")).to_contain_text("Exceptional Talent: MC + OC2 + OC3")
    shoot("pack-plan")

    page.goto(live_server.url + "/pack/portfolio/")
    expect(page.get_by_test_id("count-documents")).to_have_text("0/10")
    mc_documents = [
        ("keynote.pdf", "Keynote speaker at PyCon UK 2024.", "PyCon UK keynote programme", "2024-09-20"),
        ("award.pdf", "Winner of the Tech Nation Rising Stars award 2023.", "Rising Stars award", "2023-06-01"),
    ]
    for count, (name, text, title, day) in enumerate(mc_documents, start=1):
        _add(page, _pdf(tmp_path, name, text), title=title, proves=text, day=day, source="Tech Nation", criterion="MC")
        expect(page.get_by_test_id("count-documents")).to_have_text(f"{count}/10")
        expect(_rule(page, "mc_recent")).to_have_attribute("data-status", "met" if count == 2 else "not_met")
    # A four-page document breaks the page rule...
    _add(
        page,
        _pdf(tmp_path, "long.pdf", "I maintain the ledgerlint open-source library.", pages=4),
        title="ledgerlint repository",
        proves="Open-source library I maintain outside my job",
        day="2022-03-01",
        source="https://github.example/ledgerlint",
    )
    expect(page.get_by_test_id("count-pages")).to_have_text("6")
    expect(_rule(page, "pages")).to_have_attribute("data-status", "not_met")
    expect(_rule(page, "one_criterion")).to_have_attribute("data-status", "not_met")
    # ...the engine suggests OC2 for it; use the suggestion, then fix the page rule by removing it.
    suggestion = page.get_by_test_id("suggestion").first
    expect(suggestion).to_contain_text("OC2")
    suggestion.get_by_role("button", name="Use OC2").click()
    expect(_rule(page, "one_criterion")).to_have_attribute("data-status", "met")
    shoot("pack-portfolio")
    page.get_by_test_id("document").nth(2).get_by_role("button", name="Remove").click()
    expect(_rule(page, "pages")).to_have_attribute("data-status", "met")
    expect(page.get_by_test_id("count-documents")).to_have_text("2/10")

    with page.expect_download() as pdf_info:
        page.get_by_test_id("export-pdf").click()
    assert open(pdf_info.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as zip_info:
        page.get_by_test_id("export-zip").click()
    assert zip_info.value.suggested_filename.endswith(".zip")

    # Three letters from one template.
    for position, name in enumerate("abc", start=1):
        page.goto(live_server.url + f"/pack/letters/{position}/")
        page.fill("input[name=name]", f"Writer {position}")
        page.fill("input[name=role]", "CTO")
        page.fill("input[name=organisation]", f"Company {position}")
        page.select_option("select[name=relationship]", "peer")
        page.fill("input[name=months_known]", "30")
        page.fill("input[name=email]", f"writer{position}@example.org")
        page.fill("input[name=phone]", "+44 20 7946 0000")
        page.fill("textarea[name=text]", (LETTERS / f"{name}.txt").read_text())
        page.get_by_role("button", name=f"Save letter {position}").click()
        expect(page).to_have_url(re.compile(r"/pack/letters/$"))
    shoot("pack-letters")
    page.get_by_test_id("run-letters-check").click()
    expect(page).to_have_url(re.compile(r"/pack/letters/checks/\d+/$"))
    expect(page.get_by_test_id("letters-verdict")).to_contain_text("Templating is evident")
    templated = page.locator("[data-testid=pair][data-templated=true]")
    expect(templated).to_have_count(3)
    expect(templated.first.locator("mark").first).to_be_visible()  # the most similar pair is open
    expect(templated.nth(1).locator("mark").first).to_be_hidden()  # the others are one tap away
    templated.nth(1).locator("summary").click()
    expect(templated.nth(1).locator("mark").first).to_be_visible()
    shoot("pack-letters-check")

    # Share the plan with the expert of a paid booking; the expert opens it.
    booking = BookingFactory(client=user, status=Booking.Status.CONFIRMED)
    expert = booking.expert.user
    page.goto(live_server.url + "/pack/")
    page.select_option("select[name=booking]", str(booking.pk))
    page.get_by_role("button", name="Share read-only").click()
    expect(page.get_by_test_id("shares")).to_contain_text(booking.expert.display_name)
    page.context.clear_cookies()
    _log_in(page, live_server, expert)
    page.goto(live_server.url + f"/pack/shared/{booking.pk}/")
    expect(page.locator("main")).to_contain_text("Readiness plan of Ada Okafor")
    expect(page.get_by_test_id("portfolio-index")).to_contain_text("PyCon UK keynote programme")
    shoot("pack-shared-plan")
