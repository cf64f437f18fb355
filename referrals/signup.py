"""Signing up with a referral: accounts' allauth form, adapter and signup view, plus the referral code.

allauth is pointed here (settings ACCOUNT_SIGNUP_FORM_CLASS and ACCOUNT_ADAPTER; the URLconf's
account_signup is referrals.views.SignupView), so the referral step sits on top of accounts and
accounts never imports referrals. (No view here: allauth imports this form while loading its views.)
"""

from __future__ import annotations

from django import forms

from accounts.adapter import AccountAdapter
from accounts.forms import SignupExtraForm

from . import selectors, services


class ReferralSignupForm(SignupExtraForm):
    referral_code = forms.CharField(
        max_length=20,
        required=False,
        label="Referral code",
        help_text="From a friend's invite: you both get a free AI review once you verify your email.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("referral_code") or "").strip()
        if code:
            try:
                services.referrer_check(code=code, email=cleaned.get("email") or "")
            except services.ReferralRefused as refused:
                self.add_error("referral_code", str(refused))
        return cleaned


class ReferralAccountAdapter(AccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.referral_code_ensure(user=user)
            code = (form.cleaned_data.get("referral_code") or "").strip()
            remembered = selectors.pending_code(request) if request else ""
            if code or remembered:
                via = "link" if services.code_normalise(code or remembered) == remembered else "code"
                try:
                    services.referral_attach(referred=user, code=code or remembered, via=via)
                except services.ReferralRefused:
                    pass  # a remembered link that turned out to be the user's own: sign up without it
        return user

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.referral_qualify(referred=email_address.user)
        return confirmed
