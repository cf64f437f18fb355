from django import template

from core.money import format_pence

register = template.Library()


@register.inclusion_tag("payments/_status_badge.html")
def payment_status_badge(payment):
    label = payment.get_status_display()
    if payment.status == "partially_refunded":  # how much came back, not just that some did
        label = f"{format_pence(payment.amount_refunded_pence, payment.currency)} refunded"
    return {"status": payment.status, "label": label}
