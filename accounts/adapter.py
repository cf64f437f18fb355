from allauth.account.adapter import DefaultAccountAdapter

from referrals import selectors as referral_selectors
from referrals import services as referral_services
from referrals.services import code_normalise

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Hooks our services into allauth's flows (rather than listening to its signals)."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.wallet_ensure(user=user)
            referral_services.referral_code_ensure(user=user)
            code = (form.cleaned_data.get("referral_code") or "").strip()
            remembered = referral_selectors.pending_code(request) if request else ""
            if code or remembered:
                via = "link" if code_normalise(code or remembered) == remembered else "code"
                try:
                    referral_services.referral_attach(referred=user, code=code or remembered, via=via)
                except referral_services.ReferralRefused:
                    pass  # a remembered link that turned out to be the user's own: sign up without it
        return user

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            # Idempotent: a second verified address (email change) grants nothing more.
            services.user_email_verified(user=email_address.user)
            referral_services.referral_qualify(referred=email_address.user)
        return confirmed
