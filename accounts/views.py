from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

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
