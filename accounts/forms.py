from django import forms

from core.timezones import is_valid_timezone, timezone_choices
from referrals.services import ReferralRefused, referrer_check

from .services import user_profile_update


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's signup form. The timezone is filled in by the browser."""

    full_name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    timezone = forms.CharField(
        max_length=64, required=False, widget=forms.HiddenInput(attrs={"data-detect-timezone": ""})
    )
    referral_code = forms.CharField(
        max_length=20,
        required=False,
        label="Referral code",
        help_text="From a friend's invite: you both get a free AI review once you verify your email.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_timezone(self):
        value = self.cleaned_data.get("timezone") or ""
        # An unknown or missing zone (JS off, old browser) falls back to UK time, editable later.
        return value if is_valid_timezone(value) else "Europe/London"

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("referral_code") or "").strip()
        if code:
            try:
                referrer_check(code=code, email=cleaned.get("email") or "")
            except ReferralRefused as refused:
                self.add_error("referral_code", str(refused))
        return cleaned

    def signup(self, request, user):
        user_profile_update(user=user, full_name=self.cleaned_data["full_name"], timezone=self.cleaned_data["timezone"])


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    timezone = forms.ChoiceField(label="Timezone", help_text="Times of consultations are shown in this zone.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
