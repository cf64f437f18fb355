from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from bookings.tests.factories import BookingFactory
from consultations import services
from consultations.models import Review, ReviewEvent

from .conftest import END

pytestmark = pytest.mark.django_db


def _completed(**kwargs):
    booking = BookingFactory(**kwargs)
    services.consultation_complete(booking=booking, actor=booking.expert.user, now=END)
    booking.refresh_from_db()
    return booking


def test_review_only_after_completion(booking):
    with pytest.raises(services.ConsultationError, match="completed"):
        services.review_create(booking=booking, client=booking.client, rating=5)


def test_review_only_by_the_bookings_client():
    booking = _completed()
    for other in (UserFactory(), booking.expert.user):
        with pytest.raises(services.ConsultationError, match="Only the client"):
            services.review_create(booking=booking, client=other, rating=5)


def test_review_once_and_rating_kept(django_capture_on_commit_callbacks, mailoutbox):
    booking = _completed()
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_create(
            booking=booking, client=booking.client, rating=4, text="Helpful", anonymous=True
        )
    assert review.public_name == "Anonymous client"
    booking.expert.refresh_from_db()
    assert (booking.expert.rating_avg, booking.expert.rating_count) == (Decimal("4.00"), 1)
    assert mailoutbox[-1].to == [booking.expert.user.email]
    with pytest.raises(services.ConsultationError, match="already reviewed"):
        services.review_create(booking=booking, client=booking.client, rating=1)
    assert Review.objects.count() == 1


@pytest.mark.parametrize("rating", [0, 6])
def test_rating_must_be_1_to_5(rating):
    booking = _completed()
    with pytest.raises(services.ConsultationError):
        services.review_create(booking=booking, client=booking.client, rating=rating)


def test_text_limit():
    booking = _completed()
    with pytest.raises(services.ConsultationError, match="2,000"):
        services.review_create(booking=booking, client=booking.client, rating=5, text="x" * 2001)
    services.review_create(booking=booking, client=booking.client, rating=5, text="x" * 2000)


def test_expert_replies_once():
    booking = _completed()
    review = services.review_create(booking=booking, client=booking.client, rating=5)
    with pytest.raises(services.ConsultationError, match="Only the reviewed expert"):
        services.review_reply(review=review, actor=booking.client, text="Hi")
    services.review_reply(review=review, actor=booking.expert.user, text="Thank you!")
    with pytest.raises(services.ConsultationError, match="already replied"):
        services.review_reply(review=review, actor=booking.expert.user, text="Again")
    review.refresh_from_db()
    assert review.reply == "Thank you!"


def test_hidden_review_is_excluded_from_the_average():
    first = _completed()
    expert = first.expert
    second = BookingFactory(
        session_type=first.session_type, start_at=first.start_at.replace(hour=14), client=UserFactory()
    )
    services.consultation_complete(booking=second, actor=expert.user, now=second.end_at)
    r5 = services.review_create(booking=first, client=first.client, rating=5)
    services.review_create(booking=second, client=second.client, rating=2)
    expert.refresh_from_db()
    assert (expert.rating_avg, expert.rating_count) == (Decimal("3.50"), 2)

    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ConsultationError, match="reason"):
        services.review_moderate(review=r5, to_status=Review.Status.HIDDEN, actor=staff, reason="")
    with pytest.raises(services.ConsultationError, match="staff"):
        services.review_moderate(review=r5, to_status=Review.Status.HIDDEN, actor=first.client, reason="x")
    services.review_moderate(review=r5, to_status=Review.Status.HIDDEN, actor=staff, reason="Personal data")
    expert.refresh_from_db()
    assert (expert.rating_avg, expert.rating_count) == (Decimal("2.00"), 1)
    event = ReviewEvent.objects.filter(review=r5).last()
    assert (event.action, event.actor, event.note) == ("hidden", staff, "Personal data")

    with pytest.raises(services.InvalidTransition):
        services.review_moderate(review=r5, to_status=Review.Status.HIDDEN, actor=staff, reason="again")
    services.review_moderate(review=r5, to_status=Review.Status.VISIBLE, actor=staff, reason="")
    expert.refresh_from_db()
    assert (expert.rating_avg, expert.rating_count) == (Decimal("3.50"), 2)


def test_rating_rounds_to_two_places():
    expert_booking = _completed()
    expert = expert_booking.expert
    services.review_create(booking=expert_booking, client=expert_booking.client, rating=5)
    for hour in (12, 14):
        b = BookingFactory(
            session_type=expert_booking.session_type, start_at=expert_booking.start_at.replace(hour=hour)
        )
        services.consultation_complete(booking=b, actor=expert.user, now=b.end_at)
        services.review_create(booking=b, client=b.client, rating=4 if hour == 12 else 4)
    expert.refresh_from_db()
    assert (expert.rating_avg, expert.rating_count) == (Decimal("4.33"), 3)
