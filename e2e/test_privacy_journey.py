"""Issue 22 acceptance: a user downloads their data, deletes a document, deletes their account with a future
booking (refunded per policy) — afterwards no row or file holds their name, email or text, and the ledger
still balances. Also the notices (privacy, terms, cookies) and the referral cookie banner, at 390 and 1280 px."""

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from ai_tools.models import AIConsent, Document
from ai_tools.services import document_create
from ai_tools.tests.builders import cv_text
from bookings.models import Booking
from bookings.tests.factories import expert_with_session
from payments.models import Refund
from privacy.tests.conftest import paid_booking
from privacy.tests.helpers import files_mentioning, ledger_balances, rows_mentioning
from referrals.services import referral_code_ensure

pytestmark = pytest.mark.django_db(transaction=True)

NAME, EMAIL, SECRET = "Ximena Trevelyan", "ximena.trevelyan@example.com", "Quokka-Nebula-3141"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    return settings.PRIVATE_MEDIA_ROOT


def _log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def test_download_delete_document_delete_account(page, live_server, shoot, private_media):
    user = UserFactory(email=EMAIL, full_name=NAME)
    account_services.user_email_verified(user=user)  # the signup bonus: a ledger row
    text = f"{NAME}\n{EMAIL}\n{cv_text('strong_talent')}\n{SECRET}"
    kept = document_create(owner=user, upload=SimpleUploadedFile("ximena-cv.txt", text.encode()))
    second = document_create(owner=user, upload=SimpleUploadedFile("old-cv.txt", (text + "\nOld").encode()))
    _, session = expert_with_session(price_pence=9000)
    start = (timezone.now() + dt.timedelta(hours=36)).replace(minute=0, second=0, microsecond=0)
    booking = paid_booking(client=user, session_type=session, start=start)  # 24-48 h ahead: 50 % back

    _log_in(page, live_server, EMAIL)
    page.get_by_role("link", name="Your data").click()
    expect(page).to_have_url(re.compile(r"/me/data/$"))
    shoot("privacy-your-data")
    with page.expect_download() as info:
        page.get_by_test_id("data-download").click()
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    assert json.loads(archive.read("account.json"))["full_name"] == NAME
    assert len(json.loads(archive.read("documents.json"))) == 2
    assert any(n.startswith("files/documents/") for n in archive.namelist())

    # Delete one document from the history: it and its text are gone, the other stays.
    page.goto(live_server.url + "/tools/history/")
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.get_by_test_id("document-row").filter(has_text="old-cv.txt")
    row.get_by_test_id("document-delete").click()
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("Deleted old-cv.txt")
    assert not Document.objects.filter(pk=second.pk).exists() and Document.objects.filter(pk=kept.pk).exists()

    # Delete the account: the page says what the booking's cancellation refunds under the policy.
    page.goto(live_server.url + "/me/data/")
    page.get_by_test_id("account-delete-start").click()
    expect(page.get_by_test_id("upcoming-bookings")).to_contain_text("£45.00 refunded")
    shoot("privacy-delete-account")
    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_test_id("account-delete-confirm").click()
    expect(page.locator("body")).to_contain_text("Your account has been deleted")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT and booking.cancel_refund_pence == 4500
    assert Refund.objects.get(payment=booking.payment).amount_pence == 4500
    assert rows_mentioning(NAME, EMAIL, SECRET) == []
    assert files_mentioning(private_media, NAME.encode(), EMAIL.encode(), SECRET.encode()) == []
    user.refresh_from_db()
    assert ledger_balances(user) and user.ledger_entries.exists()
    # The old password no longer opens anything.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_notices_and_the_referral_cookie_banner(page, live_server, shoot):
    code = referral_code_ensure(user=UserFactory()).code
    page.goto(live_server.url + f"/r/{code}/")
    banner = page.get_by_test_id("cookie-banner")
    expect(banner).to_be_visible()
    shoot("privacy-referral-cookie-banner")
    banner.get_by_role("button", name="OK").click()
    expect(page.get_by_test_id("cookie-banner")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("cookie-banner")).to_have_count(0)

    page.get_by_role("link", name="Terms").click()
    expect(page.get_by_test_id("refund-policy")).to_contain_text("Cancel at least 48 hours before the start: full refund")
    expect(page.get_by_test_id("refund-policy")).to_contain_text("50% refund")
    shoot("privacy-terms")
    page.get_by_role("link", name="Privacy").first.click()
    expect(page.locator("main")).to_contain_text("OpenAI")
    expect(page.locator("main")).to_contain_text("Stripe")
    shoot("privacy-notice")
    page.get_by_role("link", name="Cookies").first.click()
    expect(page.locator("main")).to_contain_text("tv_ref")
    shoot("privacy-cookies")


def test_openai_notice_before_the_first_run(page, live_server, shoot, settings):
    settings.OPENAI_API_KEY = "sk-test"  # the engine would be OpenAI; nothing is run here
    user = UserFactory(email="consent@example.com")
    _log_in(page, live_server, user.email)
    page.goto(live_server.url + "/tools/")
    page.get_by_test_id("ai-consent-notice").get_by_role("link", name="Read and agree").click()
    expect(page.locator("h1")).to_have_text("Your text goes to OpenAI")
    shoot("privacy-openai-consent")
    page.get_by_test_id("ai-consent-agree").click()
    expect(page).to_have_url(re.compile(r"/tools/$"))
    expect(page.get_by_test_id("ai-consent-notice")).to_have_count(0)
    assert AIConsent.objects.filter(user=user).exists()
