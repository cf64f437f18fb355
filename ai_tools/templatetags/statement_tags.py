"""Rendering helpers for the Personal Statement review: edit choices, the accepted text, clean word diffs."""

from django import template

from ai_tools.providers.local.diffing import diff_for_display
from ai_tools.statement_views import text_with_accepted_edits

register = template.Library()


@register.filter
def edit_choice(choices, index) -> str:
    """'accepted', 'ignored' or '' for the edit at ``index``."""
    return (choices or {}).get(str(index), "")


@register.simple_tag
def accepted_text(review, run) -> str:
    """The reviewed draft with only the accepted edits applied (what the downloads contain)."""
    return text_with_accepted_edits(review, run)


@register.simple_tag
def choice_counts(review, run) -> dict:
    choices = run.edit_choices or {}
    values = [choices.get(str(i), "") for i in range(len(review.suggested_edits))]
    return {"accepted": values.count("accepted"), "ignored": values.count("ignored"), "open": values.count("")}


@register.filter
def display_diff(segments) -> list:
    return diff_for_display(list(segments or []))
