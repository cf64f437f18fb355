"""The 28-day review deadline across time zones and DST, and the 7/2-day reminders sent exactly once."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from applications.refusals import services
from applications.refusals.deadline import review_deadline
from applications.refusals.models import RefusalCase, RefusalReminder

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")


def test_the_last_day_is_decision_plus_28_and_the_window_closes_at_local_midnight():
    deadline = review_deadline(dt.date(2026, 6, 1), zone=LONDON, now=dt.datetime(2026, 6, 1, 12, tzinfo=UTC))
    assert deadline.last_day == dt.date(2026, 6, 29)
    assert deadline.closes_at == dt.datetime(2026, 6, 30, tzinfo=LONDON)
    assert deadline.closes_at.astimezone(UTC) == dt.datetime(2026, 6, 29, 23, tzinfo=UTC)  # BST
    assert deadline.days_left == 28


def test_a_dst_change_inside_the_window_moves_the_utc_instant_not_the_local_day():
    # London goes to BST on 29 March 2026: decided in GMT, closing in BST.
    deadline = review_deadline(dt.date(2026, 3, 10), zone=LONDON, now=dt.datetime(2026, 3, 10, tzinfo=UTC))
    assert deadline.last_day == dt.date(2026, 4, 7)
    assert deadline.closes_at_utc_iso == "2026-04-07T23:00:00Z"
    # Sydney leaves daylight time on 5 April 2026 (UTC+11 -> UTC+10).
    sydney = review_deadline(dt.date(2026, 3, 20), zone=SYDNEY, now=dt.datetime(2026, 3, 20, tzinfo=UTC))
    assert sydney.closes_at_utc_iso == "2026-04-17T14:00:00Z"
    # Los Angeles leaves DST on 1 November 2026 (UTC-7 -> UTC-8).
    la = review_deadline(dt.date(2026, 10, 20), zone=LA, now=dt.datetime(2026, 10, 20, tzinfo=UTC))
    assert la.closes_at_utc_iso == "2026-11-18T08:00:00Z"


def test_the_same_instant_is_a_different_day_left_in_different_zones():
    now = dt.datetime(2026, 6, 28, 20, 30, tzinfo=UTC)  # 29 June 08:30 in Auckland, 13:30 on 28 June in LA
    decision = dt.date(2026, 6, 1)
    assert review_deadline(decision, zone=AUCKLAND, now=now).days_left == 0
    assert review_deadline(decision, zone=LONDON, now=now).days_left == 1
    assert review_deadline(decision, zone=LA, now=now).days_left == 1
    later = dt.datetime(2026, 6, 29, 12, tzinfo=UTC)  # Auckland: 30 June, closed; LA: still 29 June
    assert review_deadline(decision, zone=AUCKLAND, now=later).passed
    assert review_deadline(decision, zone=LA, now=later).days_left == 0


def test_leap_years_count_29_february():
    deadline = review_deadline(dt.date(2028, 2, 10), zone=LONDON, now=dt.datetime(2028, 2, 10, tzinfo=UTC))
    assert deadline.last_day == dt.date(2028, 3, 9)


@pytest.mark.parametrize(
    ("days_left", "created_days_left", "already", "due"),
    [
        (8, 20, set(), None),
        (7, 20, set(), 7),
        (5, 20, set(), 7),  # a late beat still sends it
        (5, 20, {7}, None),
        (2, 20, {7}, 2),
        (2, 20, set(), 2),  # the 7-day one is not sent as well
        (0, 20, {7}, 2),
        (-1, 20, set(), None),
        (5, 5, set(), None),  # created after its day
        (2, 5, set(), 2),
    ],
)
def test_which_reminder_is_due(days_left, created_days_left, already, due):
    assert services.reminder_due(days_left=days_left, created_days_left=created_days_left, already=already) == due


def _case(user, decision, created):
    return RefusalCase.objects.create(
        owner=user, decision_date=decision, letter_text="MC: not met.", created_at=created
    )


@pytest.mark.django_db
def test_reminders_go_out_once_each_on_their_local_day():
    user = UserFactory(timezone="Pacific/Auckland", full_name="Ada Client")
    case = _case(user, dt.date(2026, 6, 1), created=dt.datetime(2026, 6, 2, tzinfo=UTC))
    # 21 June 20:00 UTC is 22 June 08:00 in Auckland: 7 days before the last day (29 June).
    before = dt.datetime(2026, 6, 21, 11, tzinfo=UTC)  # 21 June 23:00 in Auckland: 8 days left
    assert services.refusal_reminders_send(now=before) == 0
    seven = dt.datetime(2026, 6, 21, 20, tzinfo=UTC)
    assert services.refusal_reminders_send(now=seven) == 1
    assert services.refusal_reminders_send(now=seven) == 0  # the beat runs again
    assert services.refusal_reminders_send(now=seven + dt.timedelta(days=1)) == 0
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "[TalentVisa] 7 days left to ask for an endorsement review"
    assert "Monday 29 June 2026, 23:59 (Pacific/Auckland)" in email.body
    assert f"/pack/refusal/{case.pk}/" in email.body and "&#x27;" not in email.body
    assert "once more 2 days before" in email.body
    two = dt.datetime(2026, 6, 26, 13, tzinfo=UTC)  # 27 June 01:00 in Auckland
    assert services.refusal_reminders_send(now=two) == 1
    assert services.refusal_reminders_send(now=two + dt.timedelta(hours=6)) == 0
    assert mail.outbox[1].subject == "[TalentVisa] 2 days left to ask for an endorsement review"
    assert "This is the last reminder." in mail.outbox[1].body
    assert services.refusal_reminders_send(now=dt.datetime(2026, 7, 1, tzinfo=UTC)) == 0
    assert sorted(RefusalReminder.objects.filter(case=case).values_list("days_before", flat=True)) == [2, 7]


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_next_beat(monkeypatch):
    user = UserFactory(timezone="Europe/London")
    _case(user, dt.date(2026, 6, 1), created=dt.datetime(2026, 6, 1, tzinfo=UTC))
    now = dt.datetime(2026, 6, 22, 9, tzinfo=UTC)
    real = services.emails.send

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(services.emails, "send", broken)
    assert services.refusal_reminders_send(now=now) == 0
    assert not RefusalReminder.objects.exists()
    monkeypatch.setattr(services.emails, "send", real)
    assert services.refusal_reminders_send(now=now + dt.timedelta(minutes=30)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_beat_task_is_registered_and_reads_cases_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    from django.conf import settings

    from applications.tasks import refusal_reminders_send_task

    assert settings.CELERY_BEAT_SCHEDULE["applications-refusal-reminders"]["task"] == refusal_reminders_send_task.name
    for n in range(5):
        _case(UserFactory(), dt.date(2020, 1, 1 + n), created=dt.datetime(2020, 1, 1, tzinfo=UTC))  # long closed
    with django_assert_max_num_queries(3):
        assert refusal_reminders_send_task() == 0
