"""Forms of consultations: parsing and limits only; the rules live in the services."""

from __future__ import annotations

from django import forms

from .models import REVIEW_MAX_CHARS, Dispute, Earning

NOTES_MAX_CHARS = 10_000
DISPUTE_MAX_CHARS = 4_000


class NotesForm(forms.Form):
    expert_notes = forms.CharField(
        label="Private notes",
        required=False,
        max_length=NOTES_MAX_CHARS,
        help_text="Only you see these.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    shared_notes = forms.CharField(
        label="Follow-up notes for the client",
        required=False,
        max_length=NOTES_MAX_CHARS,
        help_text="Shown on the client's booking page; we email them when you save new notes.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NoShowForm(forms.Form):
    note = forms.CharField(
        label="What happened?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "E.g. waited 20 minutes, emailed at 10:05"}),
    )


RATING_CHOICES = [(5, "5 — Excellent"), (4, "4 — Good"), (3, "3 — OK"), (2, "2 — Poor"), (1, "1 — Bad")]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "sr-only"}),
        empty_value=None,
    )
    text = forms.CharField(
        label="Your review",
        required=False,
        max_length=REVIEW_MAX_CHARS,
        help_text=f"What helped, what could be better. Up to {REVIEW_MAX_CHARS:,} characters; shown publicly.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": REVIEW_MAX_CHARS}),
    )
    anonymous = forms.BooleanField(label='Post anonymously (shown as "Anonymous client")', required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=REVIEW_MAX_CHARS,
        help_text="Shown publicly under the review. You can reply once.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REVIEW_MAX_CHARS}),
    )


class DisputeForm(forms.Form):
    kind = forms.ChoiceField(label="What went wrong?", widget=forms.RadioSelect)
    description = forms.CharField(
        label="Tell us what happened",
        max_length=DISPUTE_MAX_CHARS,
        help_text="Times, messages, anything that helps us decide. The expert sees this and can respond.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DISPUTE_MAX_CHARS}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Dispute.Kind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]


class DisputeResponseForm(forms.Form):
    response = forms.CharField(
        label="Your response",
        max_length=DISPUTE_MAX_CHARS,
        help_text="Your side of what happened. The client and our team see it; you can respond once.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DISPUTE_MAX_CHARS}),
    )


# --- admin intermediate forms -----------------------------------------------------------------------


class ReviewHideForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class DisputeResolveForm(forms.Form):
    OUTCOMES = [
        (Dispute.Status.REFUNDED_FULL, "Refund in full"),
        (Dispute.Status.REFUNDED_PARTIAL, "Refund part (amount below)"),
        (Dispute.Status.REJECTED, "Reject (no refund; the expert is paid)"),
    ]
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.RadioSelect)
    amount_pence = forms.IntegerField(
        label="Partial refund (pence)", required=False, min_value=1, help_text="Only for a partial refund."
    )
    note = forms.CharField(
        label="Decision note (emailed to both sides)", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Dispute.Status.REFUNDED_PARTIAL and not data.get("amount_pence"):
            self.add_error("amount_pence", "Enter the amount to refund.")
        return data


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(choices=[(Earning.Kind.BONUS, "Bonus"), (Earning.Kind.ADJUSTMENT, "Adjustment")])
    amount_pence = forms.IntegerField(
        label="Amount (pence)", help_text="Positive pays the expert; an adjustment may be negative."
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
