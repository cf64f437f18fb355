"""Demo expert profiles for the seed_demo users amara@… and james@… (idempotent).

Run after accounts' seed_demo (it creates the users); seed_demo may call it at its end:
    call_command("seed_demo_experts")
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from core import fragments
from expert_marketplace import services
from expert_marketplace.models import ExpertiseArea, ExpertProfile, ExpertTier, Language, SessionType

DEMO_EXPERTS = [
    {
        "email": "amara@demo.talentvisa.local",
        "display_name": "Amara Okafor",
        "headline": "Former Tech Nation assessor · 60+ endorsed digital technology applicants",
        "bio": (
            "I spent four years reviewing Global Talent applications in digital technology, and since then "
            "I have helped engineers, founders and product leaders shape their evidence. In a session we go "
            "through your recommendation letters, pick the strongest evidence for the optional criteria, and "
            "make sure your Personal Statement tells one clear story an assessor can follow."
        ),
        "areas": ["digital-technology", "endorsement-review", "evidence-review"],
        "languages": ["en", "yo", "fr"],
        "years": 9,
        "adviser": (ExpertProfile.AdviserStatus.NONE, ""),
        "tier": "senior",
        "schedule": {
            "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
            "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
            "wed": [["13:00", "19:00"]],
            "thu": [["09:00", "12:00"], ["13:00", "17:00"]],
            "fri": [["09:00", "13:00"]],
            "sat": [],
            "sun": [],
        },
        "sessions": [("Application review", 60, 12000), ("Quick question call", 30, 5000)],
    },
    {
        "email": "james@demo.talentvisa.local",
        "display_name": "James Whitfield",
        "headline": "OISC-registered adviser · research and arts routes",
        "bio": (
            "I am an OISC Level 1 registered adviser working with researchers, academics and artists on the "
            "Global Talent route. I help you choose between the endorsement bodies, check that your evidence "
            "meets the criteria of the one you choose, and plan the timeline from endorsement to visa. "
            "Sessions are practical: you leave with a written list of next steps."
        ),
        "areas": ["research-academia", "arts-culture", "endorsement-review"],
        "languages": ["en", "de"],
        "years": 14,
        "adviser": (ExpertProfile.AdviserStatus.OISC, "F201900123"),
        "tier": "principal",
        "schedule": {
            "mon": [],
            "tue": [["10:00", "16:00"]],
            "wed": [["10:00", "16:00"]],
            "thu": [["10:00", "16:00"]],
            "fri": [],
            "sat": [["10:00", "13:00"]],
            "sun": [],
        },
        "sessions": [("Endorsement strategy", 90, 18000), ("Evidence check", 45, 8000)],
    },
]


class Command(BaseCommand):
    help = "Create or refresh the demo experts' profiles (after seed_demo created their users)."

    @transaction.atomic
    def handle(self, *args, **options):
        staff = User.objects.filter(is_staff=True).order_by("pk").first()
        for spec in DEMO_EXPERTS:
            user = User.objects.filter(email=spec["email"]).first()
            if user is None:
                self.stdout.write(self.style.WARNING(f"{spec['email']} does not exist; run seed_demo first."))
                continue
            areas = list(ExpertiseArea.objects.filter(slug__in=spec["areas"]))
            langs = list(Language.objects.filter(code__in=spec["languages"]))
            expert = ExpertProfile.objects.filter(user=user).first()
            if expert is None:
                expert = services.expert_apply(
                    user=user,
                    display_name=spec["display_name"],
                    headline=spec["headline"],
                    bio=spec["bio"],
                    expertise_areas=areas,
                    languages=langs,
                    years_experience=spec["years"],
                    adviser_status=spec["adviser"][0],
                    adviser_number=spec["adviser"][1],
                )
            if not SessionType.objects.filter(expert=expert).exists():
                for name, minutes, pence in spec["sessions"]:
                    services.session_type_create(expert=expert, name=name, duration_minutes=minutes, price_pence=pence)
            if not any(expert.weekly_schedule.get(day) for day in expert.weekly_schedule or {}):
                services.expert_availability_update(
                    expert=expert,
                    weekly_schedule=spec["schedule"],
                    timezone="Europe/London",
                    buffer_minutes=15,
                    min_notice_hours=24,
                    horizon_days=60,
                )
            expert.refresh_from_db()
            if not expert.is_approved:
                expert = services.expert_approve(expert=expert, actor=staff)
            if expert.adviser_status != ExpertProfile.AdviserStatus.NONE and not expert.adviser_verified:
                services.expert_adviser_verify(expert=expert, actor=staff)
            tier = ExpertTier.objects.filter(slug=spec["tier"]).first()
            if tier is not None and expert.tier_id != tier.pk:
                services.expert_tier_set(expert=expert, actor=staff, tier=tier)
            if not expert.is_active:
                ExpertProfile.objects.filter(pk=expert.pk).update(is_active=True)
                fragments.bump(*fragments.expert_pages(expert.pk))
        fragments.bump(fragments.DIRECTORY, fragments.TAXONOMY)  # areas and languages were written directly
        self.stdout.write(self.style.SUCCESS("Demo experts ready: /experts/"))
