"""The one set of money filters: `{% load money %}`, then `{{ pence|money:currency }}` or `|gbp`."""

from django import template

from core.money import format_pence

register = template.Library()


@register.filter
def money(pence, currency="gbp") -> str:
    """Ledger amounts always show pence: 7200 -> £72.00, -250 -> -£2.50."""
    return format_pence(int(pence or 0), currency or "gbp")


@register.filter
def gbp(pence, currency="gbp") -> str:
    """Prices: whole pounds drop the pence (12000 -> £120), others keep them (£72.50)."""
    text = money(pence, currency)
    return text[:-3] if text.endswith(".00") else text
