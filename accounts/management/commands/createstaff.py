"""The first (or any) staff account, usable at once without working email.

    python manage.py createstaff --email ops@example.com --name "Ops Person"

The password is asked for twice on a terminal, or read from the CREATESTAFF_PASSWORD environment
variable (for scripts; never a command-line argument, which ends up in shell history and `ps`).
The address is marked verified, the account gets the staff role, and on its first login it must
set up an authenticator app before it reaches anything (MFA_REQUIRED_FOR_STAFF, on in production).
"""

import getpass
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import services
from accounts.models import User

PASSWORD_ENV = "CREATESTAFF_PASSWORD"


class Command(BaseCommand):
    help = "Create a staff account with a verified email address; it must enrol two-factor authentication."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="Full name shown in the back office.")
        parser.add_argument("--no-superuser", action="store_true", help="Staff role without every admin permission.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help=f"Read the password from ${PASSWORD_ENV}."
        )

    def handle(self, *args, email, name, no_superuser, noinput, **options):
        email = User.objects.normalize_email(email.strip()).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the email {email} already exists.")
        password = self._password(email=email, name=name, noinput=noinput)
        with transaction.atomic():
            user = User(email=email, full_name=name, role=User.Role.STAFF, is_staff=True, is_superuser=not no_superuser)
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            services.wallet_ensure(user=user)
        self.stdout.write(self.style.SUCCESS(f"Staff account {email} created (email verified)."))
        if settings.MFA_REQUIRED_FOR_STAFF:
            self.stdout.write(
                "On the first login it must set up an authenticator app (two-factor authentication) "
                "before it can use the admin or the back office."
            )
        else:
            self.stdout.write(
                self.style.WARNING("MFA_REQUIRED_FOR_STAFF is off here: two-factor enrolment is not enforced.")
            )

    def _password(self, *, email: str, name: str, noinput: bool) -> str:
        probe = User(email=email, full_name=name)
        if noinput or not os.isatty(0):
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"No terminal to ask on: set {PASSWORD_ENV} to the new account's password.")
            self._validate(password, probe)
            return password
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            try:
                self._validate(password, probe)
            except CommandError as exc:
                self.stderr.write(str(exc))
                continue
            return password
        raise CommandError("No acceptable password given.")

    @staticmethod
    def _validate(password: str, user: User) -> None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
