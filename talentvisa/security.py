"""Security middleware: CSP tweaks, Permissions-Policy, private pages, and MFA for staff."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), usb=(), payment=(), interest-cohort=()"


class SiteCSPMiddleware(CSPMiddleware):
    """The strict site policy, with inline styles allowed only inside Django's own admin."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if request.path_info.startswith("/admin/"):
            # Django admin templates carry style="" attributes; scripts stay 'self' only.
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """Pages served to a signed-in user are theirs alone: no shared cache (a proxy, a CDN) may keep
    them, and the browser may not store them on disk (a shared computer's back button)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


STAFF_AREAS = ("/admin/", "/staff/")


class StaffMFARequiredMiddleware:
    """Staff must have an authenticator app set up before they reach the admin or back office."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if settings.MFA_REQUIRED_FOR_STAFF and user is not None and user.is_authenticated and user.is_staff:
            from allauth.mfa.utils import is_mfa_enabled

            if request.path_info.startswith(STAFF_AREAS) and not is_mfa_enabled(user):
                messages.warning(
                    request, "Staff accounts need two-factor authentication. Set up an authenticator app to continue."
                )
                return redirect("mfa_activate_totp")
            # The first authenticator only after a code emailed to the account's address (a staff
            # password alone must not be enough to enrol one): accounts/staff_mfa.py.
            if _is_enrolment(request) and not is_mfa_enabled(user):
                from accounts.staff_mfa import email_proven

                if not email_proven(request):
                    return redirect("accounts:staff_mfa_verify")
        return self.get_response(request)


def _is_enrolment(request) -> bool:
    from django.urls import Resolver404, resolve

    from accounts.staff_mfa import ENROLMENT_URL_NAMES

    try:
        return resolve(request.path_info).url_name in ENROLMENT_URL_NAMES
    except Resolver404:
        return False
