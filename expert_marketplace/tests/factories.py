import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from expert_marketplace.models import (
    AvailabilityOverride,
    ExpertiseArea,
    ExpertProfile,
    ExpertTier,
    Language,
    SessionType,
)

WEEKDAYS_9_TO_5 = {
    "mon": [["09:00", "17:00"]],
    "tue": [["09:00", "17:00"]],
    "wed": [["09:00", "17:00"]],
    "thu": [["09:00", "17:00"]],
    "fri": [["09:00", "17:00"]],
    "sat": [],
    "sun": [],
}


def area(slug="digital-technology", name="Digital technology"):
    """Data-migration rows may be flushed by transactional tests: get or create them."""
    return ExpertiseArea.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def language(code="en", name="English"):
    return Language.objects.get_or_create(code=code, defaults={"name": name})[0]


def tier(slug="standard", name="Standard", bps=2000):
    return ExpertTier.objects.get_or_create(slug=slug, defaults={"name": name, "commission_bps": bps})[0]


class ExpertUserFactory(UserFactory):
    role = User.Role.EXPERT


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """An approved, active expert working weekdays 9–5 (UTC) with 24 h notice."""

    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(ExpertUserFactory)
    display_name = factory.Sequence(lambda n: f"Expert {n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    headline = "Former endorsement assessor"
    bio = "I help applicants. " * 15
    status = ExpertProfile.Status.APPROVED
    is_active = True
    timezone = "UTC"
    weekly_schedule = factory.LazyFunction(lambda: {k: list(v) for k, v in WEEKDAYS_9_TO_5.items()})
    buffer_minutes = 0
    min_notice_hours = 24
    horizon_days = 60

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.expertise_areas.set(extracted)

    @factory.post_generation
    def langs(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.languages.set(extracted)


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionType

    expert = factory.SubFactory(ExpertProfileFactory)
    name = "Strategy call"
    duration_minutes = 60
    price_pence = 9000


class AvailabilityOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityOverride

    expert = factory.SubFactory(ExpertProfileFactory)
    kind = AvailabilityOverride.Kind.OFF
    intervals = factory.LazyFunction(list)
