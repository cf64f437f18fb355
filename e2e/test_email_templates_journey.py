"""Staff reword an email (issue 20): the live preview follows what they type, a typo in a
placeholder is shown before saving, the saved text reaches the next real email, reset restores it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from bookings.emails import booking_email_send
from bookings.tests.factories import BookingFactory
from core.models import StaffAction

from .test_axe import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_reword_a_confirmation_with_a_live_preview_and_reset_it(page, live_server, settings, shoot):
    settings.MFA_REQUIRED_FOR_STAFF = False  # the editor itself; MFA enrolment has its own journey
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    _sign_in(page.context, live_server.url, staff)
    base = live_server.url

    page.goto(base + "/admin/")
    page.get_by_role("link", name="Email templates").click()
    expect(page).to_have_url(re.compile(r"/staff/emails/$"))
    shoot("staff-email-templates")
    page.get_by_role("link", name=re.compile("Booking confirmed — to the client")).click()

    preview = page.locator("#email-preview")
    page.fill("input[name=subject]", "All set: {{ sesion }}")
    expect(preview).to_contain_text("Did you mean {{ session }}?")
    page.fill("input[name=subject]", "All set: {{ session }} with {{ expert_name }}")
    page.fill("textarea[name=opening]", "Dear {{ name }}, we look forward to it & so does {{ expert_name }}.")
    expect(page.get_by_test_id("preview-subject")).to_contain_text("[TalentVisa] All set: CV & evidence review")
    expect(page.get_by_test_id("preview-text")).to_contain_text("Dear Seán O'Connor, we look forward to it & so")
    expect(page.frame_locator("#email-preview iframe").locator("body")).to_contain_text("we look forward to it")
    shoot("staff-email-template-editor")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("The next emails use it")

    booking = BookingFactory()
    mail.outbox.clear()
    booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client"])
    (message,) = mail.outbox
    assert message.subject == f"[TalentVisa] All set: {booking.session_type.name} with {booking.expert.display_name}"
    assert "we look forward to it & so does" in message.body

    page.get_by_role("button", name="Reset to default").click()
    expect(page.locator("body")).to_contain_text("uses the default text again")
    page.goto(base + "/staff/emails/")
    expect(page.get_by_test_id("email-kind").filter(has_text="Reworded")).to_have_count(0)
    assert list(StaffAction.objects.order_by("id").values_list("action", flat=True)) == [
        "email_template_edit",
        "email_template_reset",
    ]
