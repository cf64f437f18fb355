from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from referrals.selectors import pending_code

from . import selectors, services
from .forms import ProfileForm


def home(request):
    return render(request, "home.html")


@login_required
def dashboard(request):
    return render(
        request,
        "accounts/dashboard.html",
        {
            "wallet": selectors.wallet_for(user=request.user),
            "ledger": selectors.ledger_recent(user=request.user, limit=5),
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
    """allauth's signup, with the code remembered from a share link already filled in."""

    def get_initial(self):
        initial = super().get_initial()
        code = pending_code(self.request)
        if code:
            initial["referral_code"] = code
        return initial
