from django import forms

from core.timezones import is_valid_timezone, timezone_choices

from .services import user_profile_update


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's signup form. The timezone is filled in by the browser.

    referrals.signup.ReferralSignupForm adds the referral code (the one allauth uses)."""

    full_name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    timezone = forms.CharField(
        max_length=64, required=False, widget=forms.HiddenInput(attrs={"data-detect-timezone": ""})
    )

    def clean_timezone(self):
        value = self.cleaned_data.get("timezone") or ""
        # An unknown or missing zone (JS off, old browser) falls back to UK time, editable later.
        return value if is_valid_timezone(value) else "Europe/London"

    def signup(self, request, user):
        user_profile_update(user=user, full_name=self.cleaned_data["full_name"], timezone=self.cleaned_data["timezone"])


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    timezone = forms.ChoiceField(label="Timezone", help_text="Times of consultations are shown in this zone.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
