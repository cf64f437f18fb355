import datetime as dt
from urllib.parse import urlsplit

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from expert_marketplace import selectors, services
from expert_marketplace.availability import Interval, ScheduleInvalid
from expert_marketplace.models import (
    DEFAULT_COMMISSION_BPS,
    AvailabilityOverride,
    ExpertEvent,
    ExpertProfile,
)

from .factories import ExpertProfileFactory, SessionTypeFactory, area, language, tier

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 3, 4, 8, 0, tzinfo=dt.UTC)  # a Monday


def _apply(user, **extra):
    data = {
        "display_name": "Grace Hopper",
        "headline": "Compilers",
        "bio": "x" * 210,
        "expertise_areas": [area()],
        "languages": [language()],
        "years_experience": 5,
        "adviser_status": ExpertProfile.AdviserStatus.NONE,
        "adviser_number": "",
    }
    data.update(extra)
    return services.expert_apply(user=user, **data)


def test_apply_creates_pending_profile_with_default_tier_and_event():
    tier("standard", "Standard", 2000)
    user = UserFactory(timezone="Asia/Kolkata")
    expert = _apply(user)
    assert expert.status == ExpertProfile.Status.PENDING and not expert.is_listed
    assert expert.slug == "grace-hopper"
    assert expert.timezone == "Asia/Kolkata"
    assert expert.tier.slug == "standard"
    assert list(expert.expertise_areas.values_list("slug", flat=True)) == ["digital-technology"]
    event = expert.events.get()
    assert (event.action, event.actor, event.to_status) == (ExpertEvent.Action.APPLIED, user, "pending")
    user.refresh_from_db()
    assert user.role == User.Role.CLIENT  # becomes an expert only once approved


def test_apply_twice_is_refused_and_slugs_stay_unique():
    user = UserFactory()
    _apply(user)
    with pytest.raises(services.ExpertError):
        _apply(user)
    assert _apply(UserFactory()).slug == "grace-hopper-2"
    assert _apply(UserFactory(), display_name="Apply").slug == "apply-expert"  # never shadows /experts/apply/


def test_approve_lists_the_expert_gives_role_and_records_the_actor():
    staff = UserFactory(is_staff=True)
    expert = _apply(UserFactory())
    expert = services.expert_approve(expert=expert, actor=staff)
    assert expert.is_approved and expert.is_listed
    assert expert.user.__class__.objects.get(pk=expert.user_id).role == User.Role.EXPERT
    event = expert.events.filter(action=ExpertEvent.Action.APPROVED).get()
    assert (event.actor, event.from_status, event.to_status) == (staff, "pending", "approved")
    with pytest.raises(services.InvalidTransition):
        services.expert_approve(expert=expert, actor=staff)


def test_reject_needs_a_reason_and_keeps_it():
    staff = UserFactory(is_staff=True)
    expert = _apply(UserFactory())
    with pytest.raises(services.ExpertError):
        services.expert_reject(expert=expert, actor=staff, reason="  ")
    expert = services.expert_reject(expert=expert, actor=staff, reason="Please add evidence of your experience.")
    assert expert.status == ExpertProfile.Status.REJECTED
    assert expert.rejection_reason == "Please add evidence of your experience."
    assert expert.events.filter(action=ExpertEvent.Action.REJECTED, actor=staff).exists()
    # A rejected applicant may be approved later; approval clears the reason.
    assert services.expert_approve(expert=expert, actor=staff).rejection_reason == ""


def test_the_applicant_is_emailed_the_decision(django_capture_on_commit_callbacks, client):
    from django.core import mail

    staff = UserFactory(is_staff=True)
    user = UserFactory(full_name="Siobhán O'Neill")
    expert = _apply(user)
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_reject(expert=expert, actor=staff, reason="Please add evidence of your work & impact.")
    (rejected,) = mail.outbox
    assert rejected.to == [user.email] and rejected.subject == "[TalentVisa] Your expert application"
    assert "Please add evidence of your work & impact." in rejected.body
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_approve(expert=expert, actor=staff)
    approved = mail.outbox[1]
    assert approved.subject == "[TalentVisa] You are approved as a TalentVisa expert"
    assert "Hello Siobhán O'Neill" in approved.body and "clients can book you" in approved.body
    # Its link opens the expert's own area.
    link = next(line for line in approved.body.splitlines() if "/expert/" in line).split(": ", 1)[1]
    client.force_login(user)
    assert client.get(urlsplit(link).path).status_code == 200


def test_verify_adviser_requires_a_number_and_editing_it_unverifies():
    staff = UserFactory(is_staff=True)
    expert = _apply(UserFactory())
    with pytest.raises(services.ExpertError):
        services.expert_adviser_verify(expert=expert, actor=staff)

    expert = _apply(UserFactory(), adviser_status=ExpertProfile.AdviserStatus.OISC, adviser_number="F201900123")
    assert not expert.show_adviser_badge
    expert = services.expert_adviser_verify(expert=expert, actor=staff)
    assert expert.adviser_verified and expert.show_adviser_badge
    assert expert.events.filter(action=ExpertEvent.Action.ADVISER_VERIFIED, actor=staff).exists()

    common = {
        "display_name": expert.display_name,
        "headline": "",
        "bio": expert.bio,
        "expertise_areas": [],
        "languages": [],
        "years_experience": 3,
    }
    # Same number: still verified.
    expert = services.expert_profile_update(expert=expert, adviser_status="oisc", adviser_number="F201900123", **common)
    assert expert.adviser_verified
    # A new number must be checked again.
    expert = services.expert_profile_update(expert=expert, adviser_status="oisc", adviser_number="F202000999", **common)
    assert not expert.adviser_verified and expert.adviser_verified_at is None
    assert expert.events.filter(action=ExpertEvent.Action.ADVISER_UNVERIFIED).exists()


def test_commission_resolution_override_then_tier_then_default():
    expert = ExpertProfileFactory(tier=None)
    assert selectors.commission_bps_for(expert=expert) == DEFAULT_COMMISSION_BPS
    expert.tier = tier("senior", "Senior", 1500)
    assert selectors.commission_bps_for(expert=expert) == 1500
    expert.commission_override_bps = 1000
    assert selectors.commission_bps_for(expert=expert) == 1000
    expert.commission_override_bps = 0  # zero is a real override, not "unset"
    assert selectors.commission_bps_for(expert=expert) == 0


def test_tier_set_records_old_and_new():
    staff = UserFactory(is_staff=True)
    expert = ExpertProfileFactory(tier=tier("standard", "Standard", 2000))
    principal = tier("principal", "Principal", 1200)
    expert = services.expert_tier_set(expert=expert, actor=staff, tier=principal)
    assert expert.commission_bps == 1200
    event = expert.events.get(action=ExpertEvent.Action.TIER_SET)
    assert "Standard" in event.note and "Principal" in event.note and event.actor == staff


def test_availability_update_validates_with_the_engine():
    expert = ExpertProfileFactory()
    with pytest.raises(ScheduleInvalid) as exc:
        services.expert_availability_update(
            expert=expert,
            weekly_schedule={"mon": [["09:00", "12:00"], ["11:00", "13:00"]], "tue": [["14:00", "13:00"]]},
            timezone="Europe/London",
            buffer_minutes=0,
            min_notice_hours=0,
            horizon_days=30,
        )
    assert len(exc.value.errors) == 2
    expert.refresh_from_db()
    assert expert.timezone == "UTC"  # nothing saved

    expert = services.expert_availability_update(
        expert=expert,
        weekly_schedule={"sat": [["10:00", "12:00"]]},
        timezone="Europe/London",
        buffer_minutes=10,
        min_notice_hours=2,
        horizon_days=30,
    )
    assert expert.weekly_schedule["sat"] == [["10:00", "12:00"]] and expert.weekly_schedule["mon"] == []
    assert expert.availability_updated_at is not None


def test_overrides_change_slots_and_extra_needs_valid_intervals():
    expert = ExpertProfileFactory(min_notice_hours=0)
    SessionTypeFactory(expert=expert, duration_minutes=60)
    day = NOW.date()  # Monday, 09:00-17:00 UTC
    hour = dt.timedelta(hours=1)
    before = selectors.expert_free_slots(expert=expert, duration=hour, now=NOW, days=1)
    assert before and before[0].start == NOW.replace(hour=9)

    services.availability_override_create(expert=expert, day=day, kind="off")
    assert selectors.expert_free_slots(expert=expert, duration=hour, now=NOW, days=1) == []

    with pytest.raises(ScheduleInvalid):
        services.availability_override_create(expert=expert, day=day, kind="extra", intervals=[])
    with pytest.raises(ScheduleInvalid):
        services.availability_override_create(expert=expert, day=day, kind="extra", intervals=[["20:00", "19:00"]])

    # Replacing the day's override with extra evening hours.
    row = services.availability_override_create(expert=expert, day=day, kind="extra", intervals=[["18:00", "20:00"]])
    assert AvailabilityOverride.objects.filter(expert=expert, day=day).count() == 1
    starts = [s.start.hour for s in selectors.expert_free_slots(expert=expert, duration=hour, now=NOW, days=1)]
    assert 18 in starts and 9 in starts
    services.availability_override_delete(override=row)
    assert not AvailabilityOverride.objects.filter(pk=row.pk).exists()


def test_busy_provider_hook_removes_taken_times():
    expert = ExpertProfileFactory(min_notice_hours=0)
    taken = Interval(NOW.replace(hour=9), NOW.replace(hour=10))
    calls = []

    def provider(*, expert_ids, start, end):
        calls.append(list(expert_ids))
        return {expert.pk: [taken]}

    assert selectors.expert_busy_intervals(expert_ids=[expert.pk], start=NOW, end=NOW) == {}
    selectors.register_busy_provider(provider)
    try:
        slots = selectors.expert_free_slots(expert=expert, duration=dt.timedelta(hours=1), now=NOW, days=1)
    finally:
        selectors.unregister_busy_provider(provider)
    assert calls == [[expert.pk]]
    assert slots[0].start == NOW.replace(hour=10)


def test_next_slot_refresh_fills_the_sort_cache():
    expert = ExpertProfileFactory(min_notice_hours=0)
    SessionTypeFactory(expert=expert, duration_minutes=30)
    no_sessions = ExpertProfileFactory(min_notice_hours=0)
    assert services.expert_next_slot_refresh(now=NOW) == 1
    expert.refresh_from_db()
    no_sessions.refresh_from_db()
    assert expert.next_slot_at == NOW.replace(hour=9)
    assert no_sessions.next_slot_at is None
    assert services.expert_next_slot_refresh(now=NOW) == 0  # nothing changed


def test_session_type_crud_and_refresh():
    expert = ExpertProfileFactory()
    row = services.session_type_create(expert=expert, name=" Call ", duration_minutes=45, price_pence=4500)
    assert row.name == "Call" and row.is_active
    row = services.session_type_update(
        session_type=row, name="Long call", duration_minutes=90, price_pence=9900, is_active=False
    )
    assert (row.duration_minutes, row.price_pence, row.is_active) == (90, 9900, False)
    services.session_type_delete(session_type=row)
    assert not expert.session_types.exists()
