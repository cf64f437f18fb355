"""Demo data for the embedded default: known logins so a newcomer can look around at once.

With DEBUG off (production) it refuses, unless given --allow-production (a demo or staging site);
then every demo account gets a fresh random password, printed once, never the documented one.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import User

DEMO_PASSWORD = "talentvisa-demo"

DEMO_USERS = [
    {"email": "staff@demo.talentvisa.local", "full_name": "Sam Staff", "role": User.Role.STAFF},
    {"email": "priya@demo.talentvisa.local", "full_name": "Priya Sharma", "role": User.Role.CLIENT},
    {"email": "tomasz@demo.talentvisa.local", "full_name": "Tomasz Nowak", "role": User.Role.CLIENT},
    {"email": "amara@demo.talentvisa.local", "full_name": "Amara Okafor", "role": User.Role.EXPERT},
    {"email": "james@demo.talentvisa.local", "full_name": "James Whitfield", "role": User.Role.EXPERT},
]


class Command(BaseCommand):
    help = "Create demo users (idempotent) and print their logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG=False (a demo site); accounts get random passwords, printed once.",
        )

    @transaction.atomic
    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates a staff account with a known password: refused with DEBUG=False. "
                "Use --allow-production for a demo site (random passwords), or `createstaff` for a real admin."
            )
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
        for spec in DEMO_USERS:
            is_staff = spec["role"] == User.Role.STAFF
            user, created = User.objects.update_or_create(
                email=spec["email"],
                defaults={
                    "full_name": spec["full_name"],
                    "role": spec["role"],
                    "is_staff": is_staff,
                    "is_superuser": is_staff,
                    "timezone": "Europe/London",
                },
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            services.wallet_ensure(user=user)
            # The same code path as a real verification, so the bonus lands exactly once.
            services.user_email_verified(user=user)

        # Expert profiles, session types and weekly hours for the two demo experts.
        call_command("seed_demo_experts", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ with:"))
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec['role']:<7} {spec['email']:<32} password: {password}")
