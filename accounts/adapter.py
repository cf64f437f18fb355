from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Hooks our services into allauth's flows (rather than listening to its signals).

    referrals.signup.ReferralAccountAdapter extends it with the referral step (the one allauth uses)."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.wallet_ensure(user=user)
        return user

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            # Idempotent: a second verified address (email change) grants nothing more.
            services.user_email_verified(user=email_address.user)
            # A verified address is deliverable again (a bounced one fixed, or a new one).
            services.email_suppression_clear(user=email_address.user, email=email_address.email)
        return confirmed

    def get_login_redirect_url(self, request):
        # Staff without an authenticator app enrol before anything else (`manage.py createstaff`
        # accounts on their first login); the middleware keeps them out of the staff areas until then.
        user = request.user
        if settings.MFA_REQUIRED_FOR_STAFF and user.is_authenticated and user.is_staff:
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)
