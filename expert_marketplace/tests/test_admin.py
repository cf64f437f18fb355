import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.tests.factories import UserFactory
from expert_marketplace.models import ExpertEvent, ExpertProfile
from expert_marketplace.tasks import expert_next_slots_refresh

from .factories import ExpertProfileFactory, SessionTypeFactory, tier

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/expert_marketplace/expertprofile/"


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def test_changelist_and_change_page_render(staff_client, django_assert_max_num_queries):
    tier()
    experts = [ExpertProfileFactory(adviser_status="oisc", adviser_number="F1234") for _ in range(3)]
    SessionTypeFactory(expert=experts[0])
    response = staff_client.get(CHANGELIST + "?q=Expert")
    assert response.status_code == 200
    html = response.content.decode()
    assert "OISC registered F1234" in html and experts[0].user.email in html
    assert staff_client.get(f"{CHANGELIST}{experts[0].pk}/change/").status_code == 200
    assert staff_client.get("/admin/expert_marketplace/expertisearea/").status_code == 200
    assert staff_client.get("/admin/expert_marketplace/experttier/").status_code == 200


def test_approve_and_verify_actions_record_the_staff_member(staff_client):
    expert = ExpertProfileFactory(status="pending", adviser_status="sra", adviser_number="123456")
    staff_client.post(CHANGELIST, {"action": "approve", ACTION_CHECKBOX_NAME: [expert.pk]})
    staff_client.post(CHANGELIST, {"action": "verify_adviser", ACTION_CHECKBOX_NAME: [expert.pk]})
    expert.refresh_from_db()
    assert expert.is_approved and expert.adviser_verified
    actions = set(expert.events.filter(actor=staff_client.staff).values_list("action", flat=True))
    assert actions == {ExpertEvent.Action.APPROVED, ExpertEvent.Action.ADVISER_VERIFIED}


def test_reject_action_asks_for_a_reason(staff_client):
    expert = ExpertProfileFactory(status="pending")
    page = staff_client.post(CHANGELIST, {"action": "reject", ACTION_CHECKBOX_NAME: [expert.pk]})
    assert page.status_code == 200 and "reason" in page.content.decode()
    expert.refresh_from_db()
    assert expert.status == ExpertProfile.Status.PENDING
    staff_client.post(
        CHANGELIST,
        {"action": "reject", ACTION_CHECKBOX_NAME: [expert.pk], "apply": "1", "reason": "Not enough experience."},
    )
    expert.refresh_from_db()
    assert expert.status == ExpertProfile.Status.REJECTED and expert.rejection_reason == "Not enough experience."
    assert expert.events.get(action=ExpertEvent.Action.REJECTED).actor == staff_client.staff


def test_set_tier_action(staff_client):
    expert = ExpertProfileFactory(tier=tier())
    senior = tier("senior", "Senior", 1500)
    staff_client.post(CHANGELIST, {"action": "set_tier", ACTION_CHECKBOX_NAME: [expert.pk]})
    staff_client.post(
        CHANGELIST, {"action": "set_tier", ACTION_CHECKBOX_NAME: [expert.pk], "apply": "1", "tier": senior.pk}
    )
    expert.refresh_from_db()
    assert expert.tier == senior and expert.commission_bps == 1500


def test_staff_edit_of_adviser_number_unverifies_and_is_recorded(staff_client):
    expert = ExpertProfileFactory(adviser_status="sra", adviser_number="123456", adviser_verified=True)
    url = f"{CHANGELIST}{expert.pk}/change/"
    form = staff_client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v not in (None, "") and isinstance(v, str | int | bool) and k != "photo"
    }
    data.update(
        {
            "user": expert.user_id,
            "adviser_number": "999999",
            "weekly_schedule": '{"mon": []}',
            "expertise_areas": [],
            "languages": [],
            "is_active": "on",
        }
    )
    for prefix in ("session_types", "overrides", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    expert.refresh_from_db()
    assert expert.adviser_number == "999999" and not expert.adviser_verified
    event = expert.events.get(action=ExpertEvent.Action.STAFF_EDIT)
    assert event.actor == staff_client.staff and "adviser_number" in event.note


def test_periodic_refresh_task():
    SessionTypeFactory(expert=ExpertProfileFactory(min_notice_hours=0))
    assert expert_next_slots_refresh.delay().get() == 1
