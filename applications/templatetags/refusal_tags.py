"""Labels of the refusal review's codes (criteria, classifications, outcomes), from refusals.rules."""

from django import template

from applications.refusals import rules

register = template.Library()


@register.filter
def refusal_label(code: str) -> str:
    """MC -> "Mandatory criterion (recognition)", not_considered -> "Evidence not considered", ..."""
    return rules.CRITERIA.get(code) or rules.CLASSIFICATIONS.get(code) or rules.RECOMMENDATIONS.get(code) or code


@register.filter
def refusal_help(classification: str) -> str:
    return rules.CLASSIFICATION_HELP.get(classification, "")
