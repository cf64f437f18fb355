"""The refusal intake: the letter (pasted or uploaded) and the decision date. Shape only; services decide."""

from django import forms

from ..forms import FILE_WIDGET_CLASS, LETTER_ACCEPT


class RefusalIntakeForm(forms.Form):
    decision_date = forms.DateField(
        label="Date of the refusal e-mail",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The day the Home Office sent you the refusal. The review window is 28 calendar days from it.",
    )
    letter_text = forms.CharField(
        label="The refusal letter (paste it)",
        required=False,
        max_length=30000,
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "placeholder": "Paste the whole e-mail, with the assessor's comments for each criterion.",
            }
        ),
    )
    upload = forms.FileField(
        label="Or upload it",
        required=False,
        widget=forms.FileInput(attrs={"accept": LETTER_ACCEPT, "class": FILE_WIDGET_CLASS}),
        help_text="PDF or Word; we read its text and keep the file private.",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("letter_text") or "").strip() and not data.get("upload"):
            raise forms.ValidationError("Paste the refusal letter or upload it.")
        return data


class HandoffForm(forms.Form):
    expert = forms.IntegerField()
    session = forms.IntegerField()
