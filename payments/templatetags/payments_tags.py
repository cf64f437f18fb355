from django import template

register = template.Library()


@register.inclusion_tag("payments/_status_badge.html")
def payment_status_badge(payment):
    return {"status": payment.status, "label": payment.get_status_display()}
