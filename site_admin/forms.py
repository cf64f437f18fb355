from django import forms

from .models import Inquiry


class ContactForm(forms.Form):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    topic = forms.ChoiceField(choices=Inquiry.Topic.choices, initial=Inquiry.Topic.OTHER)
    subject = forms.CharField(max_length=150)
    body = forms.CharField(
        label="Message",
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Please don't include passport numbers or other sensitive documents.",
    )
    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # Replies go to the account's address; no need to type it.
            del self.fields["email"]
            self.fields["name"].initial = user.full_name

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class FollowUpForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
