from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from core import fragments

from . import selectors, services
from .forms import ProfileForm


def home(request):
    return render(request, "home.html")


@login_required
def dashboard(request):
    user = request.user
    # Lazy: read only when the cached cards (keyed by the user's generation) are missing.
    return render(
        request,
        "accounts/dashboard.html",
        {
            "wallet": SimpleLazyObject(lambda: selectors.wallet_for(user=user)),
            "ledger": SimpleLazyObject(lambda: selectors.ledger_recent(user=user, limit=5)),
            "viewer_tz": timezone.get_current_timezone_name(),
            **fragments.fragment_context(
                fragments.user_scope(user), fragments.NAMES
            ),  # booking cards print expert names
        },
    )


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "timezone": user.timezone})
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=user, **form.cleaned_data)
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def ledger(request):
    return render(request, "accounts/ledger.html", {"entries": selectors.ledger_recent(user=request.user, limit=100)})


class SignupView(AllauthSignupView):
    """allauth's signup (referrals.signup.SignupView pre-fills the remembered referral code)."""


@login_required
@require_http_methods(["GET", "POST"])
def staff_mfa_verify(request):
    """Staff without an authenticator prove they read their mailbox before registering one."""
    from allauth.mfa.utils import is_mfa_enabled

    from . import staff_mfa

    if not request.user.is_staff or is_mfa_enabled(request.user) or staff_mfa.email_proven(request):
        return redirect("mfa_activate_totp")
    error, status = "", 200
    if request.method == "GET" or request.POST.get("resend"):
        staff_mfa.code_send(request=request)
        if request.method == "POST":
            messages.info(request, "We've sent you a new code.")
            return redirect("accounts:staff_mfa_verify")
    else:
        error = staff_mfa.code_check(request=request, code=request.POST.get("code", "")[:20])
        if not error:
            return redirect("mfa_activate_totp")
        status = 400
        if "sent you a new one" in error:
            staff_mfa.code_send(request=request)
    return render(request, "accounts/staff_mfa_verify.html", {"error": error}, status=status)
