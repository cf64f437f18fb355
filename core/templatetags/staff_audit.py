from django import template

from core import audit

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_staff_actions(context, limit=8):
    """The latest staff actions for the admin index, for staff allowed to read the log (one query)."""
    user = context["request"].user
    if not user.has_perm("core.view_staffaction"):
        return []
    return list(audit.latest(limit=limit))
