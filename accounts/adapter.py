from allauth.account.adapter import DefaultAccountAdapter

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
        return confirmed
