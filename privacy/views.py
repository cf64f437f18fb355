"""Privacy pages. Thin: the form checks, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ai_tools.views import _attachment
from referrals.selectors import REFERRAL_COOKIE, REFERRAL_SESSION_KEY

from . import selectors, services
from .export import export_build
from .forms import AccountDeleteForm


@login_required
def data(request):
    """Your data: download it, delete documents (AI tools history), delete the account."""
    return render(request, "privacy/data.html", {"terms": selectors.terms_context()})


@login_required
@require_POST
def data_download(request):
    return _attachment(
        export_build(user=request.user),
        filename=f"talentvisa-data-{timezone.now():%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        problems = services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            "Your account has been deleted. We kept only the payment records the law requires, without your name or email.",
        )
        for problem in problems:
            messages.warning(request, f"Not cancelled (already under way): {problem}")
        return redirect("home")
    upcoming = selectors.upcoming_bookings_with_refunds(user=request.user)
    return render(request, "privacy/account_delete.html", {"form": form, "upcoming": upcoming})


def notice(request):
    return render(request, "privacy/notice.html", selectors.terms_context())


def terms(request):
    return render(request, "privacy/terms.html", selectors.terms_context())


def cookies(request):
    return render(request, "privacy/cookies.html", {**selectors.terms_context(), "cookies": selectors.COOKIES})


@require_POST
def cookie_choice(request):
    """The referral cookie banner: "OK" remembers the notice was seen; "Remove" deletes the referral cookie."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if request.POST.get("choice") == "remove":
        request.session.pop(REFERRAL_SESSION_KEY, None)
        response.delete_cookie(REFERRAL_COOKIE, samesite="Lax")
        messages.info(request, "The referral cookie has been removed.")
    response.set_cookie(
        selectors.COOKIE_NOTICE_SEEN,
        "1",
        max_age=selectors.ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
