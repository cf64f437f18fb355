"""Forms of the pack pages: shape only; services enforce the rules."""

from django import forms
from django.conf import settings

from ai_tools.forms import CVAnalysisForm

from .models import OPTIONAL, Application, Criterion, EvidenceDocument, RecommendationLetter

FILE_WIDGET_CLASS = CVAnalysisForm.base_fields["upload"].widget.attrs["class"]
EVIDENCE_ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
LETTER_ACCEPT = ".pdf,.docx,application/pdf"
CRITERION_CHOICES = [("", "Decide later (see the suggestion)"), *Criterion.choices]


class PlanChoicesForm(forms.ModelForm):
    first_optional = forms.ChoiceField(
        label="First optional criterion", choices=[("", "Not chosen"), *OPTIONAL], required=False
    )
    second_optional = forms.ChoiceField(
        label="Second optional criterion", choices=[("", "Not chosen"), *OPTIONAL], required=False
    )

    class Meta:
        model = Application
        fields = ["category", "first_optional", "second_optional"]
        widgets = {"category": forms.Select(choices=[("", "Not chosen"), *Application.Category.choices])}

    def clean(self):
        data = super().clean()
        if data.get("first_optional") and data.get("first_optional") == data.get("second_optional"):
            raise forms.ValidationError("Choose two different optional criteria.")
        return data


class EvidenceFieldsForm(forms.ModelForm):
    criterion = forms.ChoiceField(label="Criterion it supports", choices=CRITERION_CHOICES, required=False)

    class Meta:
        model = EvidenceDocument
        fields = ["title", "proves", "evidence_date", "source", "is_web_printout", "criterion"]
        widgets = {
            "evidence_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "proves": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"is_web_printout": "This is a printout of a web page", "source": "Source (URL or issuer)"}
        help_texts = {
            "proves": "One or two sentences, in your words: what an assessor should see in it.",
            "evidence_date": "When the recognition or work happened (the MC counts the last 5 years).",
        }


class EvidenceAddForm(EvidenceFieldsForm):
    upload = forms.FileField(
        label="The document",
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT, "class": FILE_WIDGET_CLASS}),
        help_text=f"PDF, Word (.docx), or a PNG/JPEG of a web page printout, up to "
        f"{settings.AI_UPLOAD_MAX_BYTES // (1024 * 1024)} MB, at most 3 A4 pages. Private: only you can download it.",
    )

    field_order = ["upload", "title", "proves", "evidence_date", "source", "is_web_printout", "criterion"]


class LetterForm(forms.ModelForm):
    upload = forms.FileField(
        label="Or upload the letter",
        required=False,
        widget=forms.FileInput(attrs={"accept": LETTER_ACCEPT, "class": FILE_WIDGET_CLASS}),
        help_text="PDF or Word; we read its text. Replaces what is pasted above.",
    )

    class Meta:
        model = RecommendationLetter
        fields = ["name", "role", "organisation", "relationship", "months_known", "email", "phone", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        labels = {"text": "The letter (paste it)", "months_known": "Months they have known your work"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("upload"):
            raise forms.ValidationError("Paste the letter or upload it.")
        return data


class ShareForm(forms.Form):
    booking = forms.TypedChoiceField(label="Share with the expert of", coerce=int)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].choices = [
            (b.pk, f"{b.expert.display_name} — {b.session_type.name}, {b.start_at:%-d %b %Y}") for b in bookings
        ]
