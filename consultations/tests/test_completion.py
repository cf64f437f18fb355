import datetime as dt

import pytest

from bookings.models import Booking, BookingEvent
from consultations import services
from consultations.models import Consultation, Dispute, Earning

from .conftest import END, START, after_end

pytestmark = pytest.mark.django_db
S = Booking.Status


def test_consultation_ensure_is_lazy_and_once(booking):
    assert not Consultation.objects.exists()
    first = services.consultation_ensure(booking=booking)
    second = services.consultation_ensure(booking=booking)
    assert first.pk == second.pk
    assert first.meeting_url == booking.meeting_url


def test_complete_before_start_is_refused_with_a_clear_error(booking):
    with pytest.raises(services.ConsultationError, match="once it has started"):
        services.consultation_complete(booking=booking, actor=booking.expert.user, now=START - dt.timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    assert not Earning.objects.exists()


def test_expert_completes_after_start_and_the_earning_is_written(
    booking, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_complete(booking=booking, actor=booking.expert.user, now=START)
    booking.refresh_from_db()
    assert booking.status == S.COMPLETED
    assert consultation.completed_at == START and consultation.completed_by == booking.expert.user
    event = BookingEvent.objects.filter(booking=booking).last()
    assert (event.from_status, event.to_status, event.actor) == (S.CONFIRMED, S.COMPLETED, booking.expert.user)
    earning = Earning.objects.get(booking=booking)
    assert (earning.gross_pence, earning.commission_pence, earning.net_pence) == (9000, 1800, 7200)
    assert earning.status == Earning.Status.PENDING
    assert earning.available_at == END + dt.timedelta(hours=48)
    assert [m.to for m in mailoutbox] == [[booking.client.email]]
    assert "review" in mailoutbox[0].body


def test_only_the_expert_completes(booking):
    with pytest.raises(services.ConsultationError):
        services.consultation_complete(booking=booking, actor=booking.client, now=END)


def test_complete_twice_is_refused(booking):
    services.consultation_complete(booking=booking, actor=booking.expert.user, now=END)
    with pytest.raises(services.ConsultationError):
        services.consultation_complete(booking=booking, actor=booking.expert.user, now=END)
    assert Earning.objects.count() == 1


def test_expert_reports_client_no_show_after_start(booking, django_capture_on_commit_callbacks, mailoutbox):
    with pytest.raises(services.ConsultationError, match="started"):
        services.consultation_report_no_show(
            booking=booking, actor=booking.expert.user, now=START - dt.timedelta(seconds=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_report_no_show(
            booking=booking, actor=booking.expert.user, note="Waited 20 minutes", now=START + dt.timedelta(minutes=20)
        )
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW_CLIENT
    # The expert is still paid for the slot, once the client's chance to contest has passed.
    assert Earning.objects.get(booking=booking).status == Earning.Status.PENDING
    assert mailoutbox[0].to == [booking.client.email]
    assert "contest" in mailoutbox[0].body


def test_the_no_show_deadline_is_in_the_clients_own_zone(booking, django_capture_on_commit_callbacks, mailoutbox):
    booking.client.timezone = "Asia/Kolkata"
    booking.client.save(update_fields=["timezone"])
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_report_no_show(
            booking=booking, actor=booking.expert.user, now=START + dt.timedelta(minutes=20)
        )
    # The session ends 11:00 UTC on Wednesday 3 March 2027; 48 h later is 16:30 in India on Friday.
    assert "until Friday 5 March 2027, 16:30 IST (Asia/Kolkata)" in mailoutbox[0].body
    assert " UTC" not in mailoutbox[0].body


def test_client_reports_expert_no_show_opens_a_dispute(booking):
    services.consultation_report_no_show(
        booking=booking, actor=booking.client, note="Nobody came", now=START + dt.timedelta(minutes=15)
    )
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW_EXPERT
    dispute = Dispute.objects.get(booking=booking)
    assert (dispute.kind, dispute.status) == (Dispute.Kind.EXPERT_NO_SHOW, Dispute.Status.OPEN)
    assert not Earning.objects.exists()


def test_a_stranger_cannot_report_a_no_show(booking):
    from accounts.tests.factories import UserFactory

    with pytest.raises(services.ConsultationError):
        services.consultation_report_no_show(booking=booking, actor=UserFactory(), now=END)


def test_auto_complete_after_the_configured_hours(booking, settings):
    settings.AUTO_COMPLETE_HOURS = 24
    assert services.consultations_auto_complete(now=after_end(hours=23, minutes=59)) == 0
    assert services.consultations_auto_complete(now=after_end(hours=24)) == 1
    booking.refresh_from_db()
    assert booking.status == S.COMPLETED
    consultation = Consultation.objects.get(booking=booking)
    assert consultation.auto_completed and consultation.completed_by is None
    assert Earning.objects.filter(booking=booking).count() == 1
    assert services.consultations_auto_complete(now=after_end(hours=48)) == 0  # idempotent


def test_auto_complete_task_is_scheduled(settings):
    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "consultations.tasks.consultations_auto_complete_task",
        "consultations.tasks.earnings_release_task",
        "consultations.tasks.earnings_payout_task",
    } <= tasks


def test_notes_private_and_shared(booking, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_notes_update(
            booking=booking, actor=booking.expert.user, expert_notes="private", shared_notes="Next steps: ..."
        )
    consultation = Consultation.objects.get(booking=booking)
    assert (consultation.expert_notes, consultation.shared_notes) == ("private", "Next steps: ...")
    assert mailoutbox[0].to == [booking.client.email]
    with pytest.raises(services.ConsultationError):
        services.consultation_notes_update(booking=booking, actor=booking.client, expert_notes="x", shared_notes="")
