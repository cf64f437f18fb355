import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from expert_marketplace.forms import AvailabilityOverrideForm, ExpertProfileForm, SessionTypeForm, WeeklyScheduleForm
from expert_marketplace.images import PHOTO_MAX_BYTES

from .factories import ExpertProfileFactory, area, language

pytestmark = pytest.mark.django_db

RULES = {"timezone": "Europe/London", "buffer_minutes": "15", "min_notice_hours": "24", "horizon_days": "60"}


def _png(width, height, color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def _profile_data(**extra):
    data = {
        "display_name": "Ada",
        "headline": "",
        "bio": "",
        "years_experience": "4",
        "adviser_status": "none",
        "adviser_number": "",
        "expertise_areas": [area().pk],
        "languages": [language().pk],
    }
    data.update(extra)
    return data


def test_schedule_form_builds_the_engine_json():
    form = WeeklyScheduleForm(
        {
            **RULES,
            "mon-0-start": "13:00",
            "mon-0-end": "17:00",
            "mon-1-start": "09:00",
            "mon-1-end": "12:00",
            "sat-0-start": "22:00",
            "sat-0-end": "00:00",
            "tue-0-start": "",
            "tue-0-end": "",
        }
    )
    assert form.is_valid(), form.errors
    schedule = form.cleaned_data["weekly_schedule"]
    assert schedule["mon"] == [["09:00", "12:00"], ["13:00", "17:00"]]
    assert schedule["sat"] == [["22:00", "24:00"]]  # 00:00 as an end means until midnight
    assert schedule["tue"] == [] and set(schedule) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def test_schedule_form_reports_every_error_by_day():
    form = WeeklyScheduleForm(
        {
            **RULES,
            "mon-0-start": "09:00",
            "mon-0-end": "12:00",
            "mon-1-start": "11:00",
            "mon-1-end": "13:00",
            "wed-0-start": "15:00",
            "wed-0-end": "14:00",
            "fri-0-start": "10:00",
            "fri-0-end": "10:03",
        }
    )
    assert not form.is_valid()
    errors = form.non_field_errors()
    assert any("Monday" in e and "overlaps" in e for e in errors)
    assert any("Wednesday" in e and "ends before it starts" in e for e in errors)
    assert any("Friday" in e and "5-minute" in e for e in errors)
    assert form.day_errors["mon"] and form.day_errors["wed"] and form.day_errors["fri"]
    assert not form.day_errors["tue"]


def test_schedule_form_incomplete_row_and_bad_time():
    form = WeeklyScheduleForm({**RULES, "thu-0-start": "09:00", "thu-0-end": "", "sun-0-start": "nonsense"})
    assert not form.is_valid()
    assert form.day_errors["thu"] == ["Thursday: enter both a start and an end time."]
    assert "sun-0-start" in form.errors


def test_schedule_form_rows_without_javascript():
    form = WeeklyScheduleForm(schedule={"mon": [["09:00", "12:00"], ["13:00", "24:00"]]}, initial=RULES)
    days = {d["key"]: d for d in form.days()}
    assert len(days["mon"]["rows"]) == 3  # two saved + one empty
    assert len(days["tue"]["rows"]) == 1
    assert form.initial["mon-1-end"] == "00:00"  # a time input cannot show 24:00
    grown = WeeklyScheduleForm(initial={**RULES, "tue-0-start": "09:00", "tue-0-end": "10:00"}, add_row_for="tue")
    assert len({d["key"]: d for d in grown.days()}["tue"]["rows"]) == 3


def test_override_form_rules():
    expert = ExpertProfileFactory(timezone="Europe/London")
    now = dt.datetime(2030, 3, 4, 12, 0, tzinfo=dt.UTC)
    past = AvailabilityOverrideForm({"day": "2030-03-03", "kind": "off"}, expert=expert, now=now)
    assert not past.is_valid() and "day" in past.errors
    no_hours = AvailabilityOverrideForm({"day": "2030-03-09", "kind": "extra"}, expert=expert, now=now)
    assert not no_hours.is_valid() and "start_1" in no_hours.errors
    overlap = AvailabilityOverrideForm(
        {
            "day": "2030-03-09",
            "kind": "extra",
            "start_1": "10:00",
            "end_1": "12:00",
            "start_2": "11:00",
            "end_2": "13:00",
        },
        expert=expert,
        now=now,
    )
    assert not overlap.is_valid()
    assert "overlaps" in overlap.non_field_errors()[0] and "Sat 9 Mar 2030" in overlap.non_field_errors()[0]
    ok = AvailabilityOverrideForm(
        {"day": "2030-03-09", "kind": "extra", "start_1": "10:00", "end_1": "12:00"}, expert=expert, now=now
    )
    assert ok.is_valid() and ok.cleaned_data["intervals"] == [["10:00", "12:00"]]
    off = AvailabilityOverrideForm(
        {"day": "2030-03-09", "kind": "off", "start_1": "10:00", "end_1": "12:00"}, expert=expert, now=now
    )
    assert off.is_valid() and off.cleaned_data["intervals"] == []


def test_session_form_price_in_pence_and_limits():
    form = SessionTypeForm({"name": "Call", "duration_minutes": "45", "price": "49.99", "is_active": "on"})
    assert form.is_valid() and form.cleaned_data["price_pence"] == 4999
    bad = SessionTypeForm({"name": "Call", "duration_minutes": "10", "price": "9.99"})
    assert not bad.is_valid() and {"duration_minutes", "price"} <= set(bad.errors)
    assert not SessionTypeForm({"name": "Call", "duration_minutes": "181", "price": "20"}).is_valid()


def test_adviser_number_required_when_registered():
    form = ExpertProfileForm(_profile_data(adviser_status="sra"))
    assert not form.is_valid() and "adviser_number" in form.errors
    form = ExpertProfileForm(_profile_data(adviser_status="sra", adviser_number="123456"))
    assert form.is_valid()
    form = ExpertProfileForm(_profile_data(adviser_status="none", adviser_number="123456"))
    assert form.is_valid() and form.cleaned_data["adviser_number"] == ""


def test_photo_that_is_not_an_image_is_rejected():
    fake = SimpleUploadedFile("me.png", b"<?php echo 'hi'; ?>" * 20, content_type="image/png")
    form = ExpertProfileForm(_profile_data(), {"photo": fake})
    assert not form.is_valid()
    assert form.errors["photo"] == ["That file is not an image we can read."]


def test_truncated_image_is_rejected():
    data = _png(100, 100)
    form = ExpertProfileForm(_profile_data(), {"photo": SimpleUploadedFile("a.png", data[:60])})
    assert not form.is_valid() and "photo" in form.errors


def test_oversized_photo_is_rejected():
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * PHOTO_MAX_BYTES, content_type="image/png")
    form = ExpertProfileForm(_profile_data(), {"photo": big})
    assert not form.is_valid()
    assert "larger than 2 MB" in form.errors["photo"][0]


def test_big_photo_is_resized_and_renamed():
    upload = SimpleUploadedFile("My Passport Photo.png", _png(2000, 1000), content_type="image/png")
    form = ExpertProfileForm(_profile_data(), {"photo": upload})
    assert form.is_valid(), form.errors
    processed = form.cleaned_data["photo"]
    with Image.open(io.BytesIO(processed.read())) as img:
        assert img.size == (512, 256)
        assert img.format == "JPEG"
    assert "Passport" not in processed.name and processed.name.endswith(".jpg")
