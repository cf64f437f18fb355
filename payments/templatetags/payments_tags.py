from django import template

from talentvisa.money import format_pence

register = template.Library()


@register.filter
def pence(amount, currency="gbp"):
    """{{ payment.amount_pence|pence:payment.currency }} -> £10.00"""
    return format_pence(int(amount or 0), currency or "gbp")


@register.inclusion_tag("payments/_status_badge.html")
def payment_status_badge(payment):
    return {"status": payment.status, "label": payment.get_status_display()}
