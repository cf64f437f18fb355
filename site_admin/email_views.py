"""Back office: the email kinds staff may reword (subject and opening paragraph), with a live preview.

Reading the list needs `core.view_emailtemplateoverride`; editing, previewing and resetting need
`core.change_emailtemplateoverride` (superusers have both; grant them to a group in the admin).
The writes are core.email_templates' services, which validate and record a StaffAction.
"""

from __future__ import annotations

from functools import wraps

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import email_templates
from core.mailer import render_email
from core.models import EmailTemplateOverride

from .forms import EmailTemplateForm

VIEW = "core.view_emailtemplateoverride"
CHANGE = "core.change_emailtemplateoverride"
# The preview shows the email's HTML in a sandboxed srcdoc frame, which inherits this page's
# policy; emails carry style="" attributes (mail clients ignore stylesheets). No scripts.
EMAIL_STYLES = csp_update({"style-src": ["'unsafe-inline'"]})


def staff_permission(perm: str):
    """Anonymous → the admin login; signed in without staff status or `perm` → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not (user.is_active and user.is_staff and user.has_perm(perm)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _kind(key: str) -> email_templates.EmailKind:
    kind = email_templates.get(key)
    if kind is None:
        raise Http404("No such email.")
    return kind


@staff_permission(VIEW)
def email_list(request):
    stored = {row.kind: row for row in EmailTemplateOverride.objects.select_related("updated_by")}
    groups: dict[str, list] = {}
    for kind in email_templates.kinds():
        groups.setdefault(kind.group or "Other", []).append((kind, stored.get(kind.key)))
    return render(
        request,
        "site_admin/emails/list.html",
        {"groups": groups, "overridden": len(stored), "total": len(email_templates.kinds())},
    )


def _preview(kind, override: email_templates.Override | None) -> dict:
    subject, text, html = render_email(kind.template, kind.sample(), override=override)
    return {"subject": subject, "text": text, "html": html}


@EMAIL_STYLES
@staff_permission(CHANGE)
@require_http_methods(["GET", "POST"])
def email_edit(request, kind: str):
    kind = _kind(kind)
    row = EmailTemplateOverride.objects.select_related("updated_by").filter(kind=kind.key).first()
    initial = {"subject": row.subject, "opening": row.opening} if row else {}
    form = EmailTemplateForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        override = form.override
        try:
            email_templates.override_save(
                actor=request.user, kind=kind, subject=override.subject, opening=override.opening
            )
        except ValidationError as error:  # validated by the form already; kept for a race with a deploy
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved “{kind.label}”. The next emails use it.")
            return redirect("site_admin:email_edit", kind=kind.key)
    preview_of = form.override if form.is_bound and form.is_valid() else (_stored(row) if row else None)
    default = _preview(kind, None)
    return render(
        request,
        "site_admin/emails/edit.html",
        {
            "kind": kind,
            "row": row,
            "form": form,
            "default": default,
            "preview": _preview(kind, preview_of) if preview_of else default,
            "placeholders": sorted(kind.placeholders.items()),
        },
    )


def _stored(row) -> email_templates.Override:
    return email_templates.Override(subject=row.subject, opening=row.opening)


@EMAIL_STYLES
@staff_permission(CHANGE)
@require_POST
def email_preview(request, kind: str):
    """The preview of what is in the form now (htmx, as the staff member types)."""
    kind = _kind(kind)
    form = EmailTemplateForm(request.POST, kind=kind)
    context = {"kind": kind, "form": form}
    if form.is_valid():
        context["preview"] = _preview(kind, form.override)
    return render(request, "site_admin/emails/_preview.html", context)


@staff_permission(CHANGE)
@require_POST
def email_reset(request, kind: str):
    kind = _kind(kind)
    if email_templates.override_reset(actor=request.user, kind=kind):
        messages.success(request, f"“{kind.label}” uses the default text again.")
    return redirect("site_admin:email_edit", kind=kind.key)
