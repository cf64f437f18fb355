"""Staff overrides of an email's subject and opening paragraph (core.email_templates + core.mailer):
applied to real sends in both parts, validated so a typo cannot break sending, reset, audited."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from bookings.emails import booking_email_send
from bookings.tests.factories import BookingFactory
from core import email_templates
from core.mailer import render_email
from core.models import EmailTemplateOverride, StaffAction

pytestmark = pytest.mark.django_db

CONFIRMED_CLIENT = "bookings.booking_confirmed.client"


def kind(key=CONFIRMED_CLIENT):
    return email_templates.get(key)


def test_an_override_changes_the_subject_and_the_opening_paragraph_of_a_real_send():
    staff = UserFactory(is_staff=True)
    booking = BookingFactory(client=UserFactory(full_name="Seán O'Brien & <Sons>"))
    email_templates.override_save(
        actor=staff,
        kind=kind(),
        subject="All set: {{ session }} with {{ expert_name }}",
        opening="Dear {{ name }}, we look forward to it & so does {{ expert_name }}.\n\nSee you on {{ when }}.",
    )

    booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client", "expert"])

    to_client, to_expert = mail.outbox
    html = to_client.alternatives[0][0]
    assert to_client.subject == (
        f"[TalentVisa] All set: {booking.session_type.name} with {booking.expert.display_name}"
    )
    assert "Dear Seán O'Brien & <Sons>, we look forward to it & so does" in to_client.body
    assert "\n\nSee you on " in to_client.body
    assert "is confirmed. You paid" not in to_client.body  # the default paragraph is replaced…
    assert "Video call:" in to_client.body and "Manage, reschedule or cancel" in to_client.body  # …not the rest
    assert "<p>Dear Seán O&#x27;Brien &amp; &lt;Sons&gt;, we look forward to it &amp; so does" in html
    assert "<p>See you on " in html and "is confirmed. You paid" not in html
    # The expert's confirmation is another kind: untouched.
    assert (
        to_expert.subject.startswith("[TalentVisa] Confirmed: ") and "has booked a session with you" in to_expert.body
    )


def test_without_an_override_the_templates_own_text_is_sent():
    booking = BookingFactory()
    booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client"])
    (message,) = mail.outbox
    assert message.subject.startswith("[TalentVisa] Confirmed: ") and "is confirmed. You paid" in message.body


def test_a_subject_only_override_keeps_the_default_opening():
    booking = BookingFactory()
    email_templates.override_save(actor=None, kind=kind(), subject="Booked {{ reference }}", opening="")
    booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client"])
    (message,) = mail.outbox
    assert message.subject == f"[TalentVisa] Booked {booking.reference}" and "is confirmed. You paid" in message.body


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello {{ nmae }}", "Did you mean {{ name }}?"),
        ("Hello {{ password }}", "Unknown placeholder {{ password }}"),
        ("{% if name %}Hi{% endif %}", "Template tags"),
        ("{% load static %}", "Template tags"),
        ("{# note #}", "comments"),
        ("Hi {{ booking.client.email }}", "is not a placeholder"),
        ("Hi {{ name|upper }}", "is not a placeholder"),
        ("Hi {{ name }", "Unbalanced braces"),
        ("Hi name }}", "Unbalanced braces"),
    ],
)
def test_a_bad_placeholder_is_refused_and_nothing_is_stored(text, expected):
    with pytest.raises(ValidationError) as error:
        email_templates.override_save(actor=None, kind=kind(), subject="Fine", opening=text)
    assert any(expected in message for message in error.value.message_dict["opening"])
    assert not EmailTemplateOverride.objects.exists() and not StaffAction.objects.exists()


def test_a_subject_is_one_line():
    errors = email_templates.validate(kind(), subject="Two\nlines", opening="")
    assert errors == {"subject": ["A subject is one line."]}


def test_every_change_and_the_reset_are_recorded_in_the_staff_log_and_the_reset_restores_the_default():
    staff = UserFactory(is_staff=True)
    booking = BookingFactory()
    email_templates.override_save(actor=staff, kind=kind(), subject="One {{ reference }}", opening="")
    email_templates.override_save(actor=staff, kind=kind(), subject="One {{ reference }}", opening="")  # no change
    email_templates.override_save(actor=staff, kind=kind(), subject="Two {{ reference }}", opening="Hi {{ name }}.")
    assert email_templates.override_reset(actor=staff, kind=kind()) is True
    assert email_templates.override_reset(actor=staff, kind=kind()) is False

    actions = list(StaffAction.objects.order_by("id").values_list("action", "actor", "target_repr", "reason"))
    assert [a[0] for a in actions] == ["email_template_edit", "email_template_edit", "email_template_reset"]
    assert all(a[1] == staff.pk and a[2] == f"Email {CONFIRMED_CLIENT}" for a in actions)
    assert "Two {{ reference }}" in actions[1][3] and "Hi {{ name }}." in actions[1][3]
    assert "Two {{ reference }}" in actions[2][3]  # what the reset threw away
    assert not EmailTemplateOverride.objects.exists()

    booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client"])
    assert mail.outbox[0].subject.startswith("[TalentVisa] Confirmed: ")


def test_saving_both_fields_empty_is_a_reset():
    email_templates.override_save(actor=None, kind=kind(), subject="X", opening="")
    assert email_templates.override_save(actor=None, kind=kind(), subject=" ", opening="") is None
    assert not EmailTemplateOverride.objects.exists()


def test_a_save_is_seen_by_the_next_send_at_once_although_overrides_are_cached(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    booking = BookingFactory()
    template, context = "bookings/email/booking_confirmed", {"booking": booking, "recipient": "client"}
    render_email(template, context)  # caches "no overrides"
    with django_assert_num_queries(0):
        render_email(template, context)
    with django_capture_on_commit_callbacks(execute=True):
        email_templates.override_save(actor=None, kind=kind(), subject="Fresh", opening="")
    assert render_email(template, context)[0] == "[TalentVisa] Fresh"
    with django_capture_on_commit_callbacks(execute=True):
        email_templates.override_reset(actor=None, kind=kind())
    assert render_email(template, context)[0].startswith("[TalentVisa] Confirmed: ")


def test_an_undeclared_template_is_sent_as_written():
    subject, text, _ = render_email("site_admin/email/support_received", {"inquiry": {"reference": "SUP-1"}})
    assert email_templates.kind_for("nobody/email/unknown", {}) is None
    assert subject == "[TalentVisa] We've received your message (SUP-1)"


def test_the_html_part_escapes_placeholder_values_and_the_staff_text_the_text_part_keeps_them_verbatim():
    k = kind()
    context = {**k.sample(), "name": "<script>alert(1)</script> & Co"}
    subject, text, html = render_email(
        k.template, context, override=email_templates.Override(subject="For {{ name }}", opening="<b>{{ name }}</b>")
    )
    assert subject == "[TalentVisa] For <script>alert(1)</script> & Co"
    assert "<b><script>alert(1)</script> & Co</b>" in text
    assert "<p>&lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co&lt;/b&gt;</p>" in html
    assert "<script>" not in html
