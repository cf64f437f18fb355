import pytest
from django.core.management import call_command

from expert_marketplace.models import ExpertProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_experts_is_idempotent(settings):
    settings.DEBUG = True  # seed_demo refuses in production mode
    call_command("seed_demo")
    call_command("seed_demo_experts")
    call_command("seed_demo_experts")
    experts = ExpertProfile.objects.order_by("display_name")
    assert [e.display_name for e in experts] == ["Amara Okafor", "James Whitfield"]
    for expert in experts:
        assert expert.is_listed and expert.session_types.count() == 2
        assert expert.expertise_areas.exists() and expert.languages.exists()
        assert any(expert.weekly_schedule.values())
    james = experts.get(display_name="James Whitfield")
    assert james.show_adviser_badge and james.tier.slug == "principal"
