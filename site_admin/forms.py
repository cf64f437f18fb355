from django import forms

from core import email_templates

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


class EmailTemplateForm(forms.Form):
    """Staff's subject and opening paragraph for one email kind; empty keeps the template's text."""

    subject = forms.CharField(
        required=False,
        max_length=email_templates.SUBJECT_MAX,
        help_text="Leave empty for the default. The [TalentVisa] prefix is added for you.",
    )
    opening = forms.CharField(
        label="Opening paragraph",
        required=False,
        max_length=email_templates.OPENING_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Leave empty for the default. A blank line starts a new paragraph.",
    )

    def __init__(self, *args, kind: email_templates.EmailKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if not kind.opening:
            del self.fields["opening"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = email_templates.validate(self.kind, subject=data.get("subject", ""), opening=data.get("opening", ""))
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name, message)
        return data

    @property
    def override(self) -> email_templates.Override:
        return email_templates.Override(
            subject=self.cleaned_data.get("subject", "").strip(), opening=self.cleaned_data.get("opening", "").strip()
        )
