"""An expert uploads a photo; it shows (really loads, not a broken image) on the directory, the
profile and the booking wizard. Local disk; Django's live server answers MEDIA_URL itself (the
app's own /media/ view and SERVE_MEDIA are tested in talentvisa/tests/test_media_storage.py)."""

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from e2e.test_booking_journey import _expert, _login

pytestmark = pytest.mark.django_db(transaction=True)


def _portrait(path):
    img = Image.new("RGB", (800, 800), (226, 232, 240))
    draw = ImageDraw.Draw(img)
    draw.ellipse((250, 140, 550, 460), fill=(180, 120, 90))  # head
    draw.rectangle((180, 480, 620, 800), fill=(30, 64, 175))  # shoulders
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    path.write_bytes(buf.getvalue())
    return path


def _photo_loaded(page, selector):
    img = page.locator(selector).first
    img.scroll_into_view_if_needed()
    expect(img).to_be_visible()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle(), timeout=10_000)
    return img.get_attribute("src")


def test_expert_photo_shows_on_directory_profile_and_wizard(page, live_server, shoot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    expert = _expert()
    _login(page, live_server, expert.user)

    page.goto(live_server.url + "/expert/profile/")
    page.set_input_files("input[name=photo]", str(_portrait(tmp_path / "me.jpg")))
    page.get_by_role("button", name="Save profile").click()
    # The photo appears only once the POST has been handled: wait for it before reading the row.
    src = _photo_loaded(page, "main img[src*='/media/experts/']")
    expert.refresh_from_db()
    assert expert.photo.name.startswith("experts/") and src.endswith(expert.photo.name)
    shoot("expert-photo-profile-edit")

    page.context.clear_cookies()
    client = UserFactory(email="chidi@example.com", full_name="Chidi Anagonye", timezone="Europe/London")
    page.goto(live_server.url + "/experts/")
    _photo_loaded(page, "[data-testid] img[src*='/media/experts/'], main img[src*='/media/experts/']")
    shoot("expert-photo-directory")

    page.goto(live_server.url + f"/experts/{expert.slug}/")
    _photo_loaded(page, "main img[src*='/media/experts/']")
    shoot("expert-photo-profile")

    _login(page, live_server, client)
    page.goto(live_server.url + "/bookings/new/")
    page.locator("label:has(input[name=area][value=digital-technology])").click()
    page.locator("label:has(input[name=minutes][value='60'])").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/bookings/new/expert/$"))
    _photo_loaded(page, "[data-testid=expert-option] img[src*='/media/experts/']")
    shoot("expert-photo-wizard")
