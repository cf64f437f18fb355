"""Forms of the booking pages. They check shape and ownership; bookings.services does the work."""

from __future__ import annotations

from django import forms
from django.conf import settings

from ai_tools import rules
from ai_tools import selectors as ai_selectors
from ai_tools.documents import DocumentRejected
from ai_tools.forms import ACCEPT, CVAnalysisChoiceField
from ai_tools.services import document_validate
from core.forms import IdMultipleChoiceField

from .models import Booking
from .wizard import ANY_EXPERT, ExpertOption, LengthOption, parse_start

QUESTIONS_MAX_CHARS = 2000
CANCEL_REASON_MAX_CHARS = 1000


def length_label(minutes: int) -> str:
    return f"{minutes}-min"


class LengthForm(forms.Form):
    """Step 1: expertise (optional) and session length."""

    area = forms.ChoiceField(label="What do you need help with?", required=False, widget=forms.RadioSelect)
    minutes = forms.TypedChoiceField(
        label="How long a session?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a session length.", "invalid_choice": "Choose one of the lengths shown."},
    )

    def __init__(self, *args, areas, lengths: list[LengthOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.lengths = lengths
        self.fields["area"].choices = [("", "Any expertise")] + [(a.slug, a.name) for a in areas]
        self.fields["minutes"].choices = [(o.minutes, length_label(o.minutes)) for o in lengths]


class ExpertChoiceForm(forms.Form):
    """Step 2: "any" or "<expert id>:<session type id>" (one button per card)."""

    choice = forms.CharField(error_messages={"required": "Choose an expert, or any available expert."})

    def __init__(self, *args, options: list[ExpertOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options

    def clean_choice(self):
        value = self.cleaned_data["choice"].strip()
        if value == ANY_EXPERT and self.options:
            return {"expert": ANY_EXPERT, "session": None}
        expert_id, _, session_id = value.partition(":")
        for option in self.options:
            if str(option.expert.pk) == expert_id:
                for session in option.session_types:
                    if str(session.pk) == session_id:
                        return {"expert": str(option.expert.pk), "session": session.pk}
        raise forms.ValidationError("That expert is no longer available for this length. Choose another.")


class SlotForm(forms.Form):
    """A slot start as ISO 8601 (the time buttons of step 3 and of rescheduling)."""

    start = forms.CharField(error_messages={"required": "Choose a time."})

    def clean_start(self):
        start = parse_start(self.cleaned_data["start"])
        if start is None:
            raise forms.ValidationError("That time could not be read. Choose one of the times shown.")
        return start


class SharedRunsField(IdMultipleChoiceField):
    label_from_instance = CVAnalysisChoiceField.label_from_instance


class IntakeForm(forms.Form):
    """Step 4: what the expert should know, what to share, and the cancellation policy."""

    questions = forms.CharField(
        label="Your questions for the expert",
        max_length=QUESTIONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": QUESTIONS_MAX_CHARS}),
        help_text=f"What you want to get out of the session. Up to {QUESTIONS_MAX_CHARS:,} characters.",
        error_messages={"required": "Tell the expert what you would like to discuss."},
    )
    target_route = forms.ChoiceField(
        label="Your route", choices=[(r.key, f"{r.name} ({r.endorsing_body})") for r in rules.ROUTES.values()]
    )
    target_category = forms.ChoiceField(
        label="Category you are aiming for",
        choices=[
            (Booking.TargetCategory.TALENT, "Exceptional Talent"),
            (Booking.TargetCategory.PROMISE, "Exceptional Promise"),
            (Booking.TargetCategory.UNSURE, "Not sure yet"),
        ],
        widget=forms.RadioSelect,
        initial=Booking.TargetCategory.UNSURE,
    )
    shared_runs = SharedRunsField(
        label="Share your CV analyses",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The expert sees the analysis result, so you can spend the session on what matters.",
    )
    upload = forms.FileField(
        label="Upload a document",
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": ACCEPT,
                "class": "block w-full min-w-0 cursor-pointer rounded-xl border border-dashed border-slate-300 "
                "bg-slate-50 p-3 text-sm text-slate-700 file:mr-3 file:cursor-pointer file:rounded-lg file:border-0 "
                "file:bg-brand-600 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-white "
                "hover:border-brand-400 hover:file:bg-brand-700",
            }
        ),
    )
    agree_policy = forms.BooleanField(
        label="I agree to the cancellation and rescheduling policy above.",
        error_messages={"required": "Please agree to the cancellation policy to continue."},
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("target_route", rules.DIGITAL_TECHNOLOGY)
        super().__init__(*args, **kwargs)
        self.fields["shared_runs"].queryset = ai_selectors.cv_analyses_for_user(user=user)
        self.fields["upload"].help_text = (
            f"Optional: your CV or a draft statement. PDF, Word (.docx) or plain text, up to "
            f"{settings.AI_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. Only you and your expert can download it."
        )

    def clean_questions(self):
        text = self.cleaned_data["questions"].strip()
        if not text:
            raise forms.ValidationError("Tell the expert what you would like to discuss.")
        return text

    def clean_upload(self):
        """The AI tools' own check (size first, then content); it writes nothing."""
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        try:
            document_validate(upload=upload)
        except DocumentRejected as exc:
            raise forms.ValidationError(f"{exc.message} Nothing was charged; your slot is still held.") from exc
        finally:
            upload.seek(0)  # the service reads it again when it stores it
        return upload


class ClientCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=CANCEL_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. It helps the expert (and us) improve.",
    )


class ExpertCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the client",
        max_length=CANCEL_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to the client with the cancellation. They are refunded in full.",
        error_messages={"required": "Give the client a reason for cancelling."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the client a reason for cancelling.")
        return reason


class MessageForm(forms.Form):
    """One message in a booking's thread: text and/or a document (validated by message_send)."""

    body = forms.CharField(
        label="Message",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000, "data-thread-body": ""}),
    )
    attachment = forms.FileField(
        label="Attach a document (PDF, Word or text)",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachment"):
            raise forms.ValidationError("Write a message or attach a file.")
        return data
