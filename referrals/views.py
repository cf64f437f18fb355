from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.views import SignupView as AccountsSignupView
from core.conf import setting

from . import selectors, services
from .models import ReferralCode

THIRTY_DAYS = 60 * 60 * 24 * 30


def share_link(request, code):
    """/r/<code>/: remember the referrer for 30 days (session + cookie), then invite to sign up."""
    code = services.code_normalise(code)
    if request.user.is_authenticated or not ReferralCode.objects.filter(code=code).exists():
        # An unknown code or a signed-in visitor: nothing to remember, just show the site.
        return redirect("home")
    request.session[selectors.REFERRAL_SESSION_KEY] = code
    response = redirect(reverse("account_signup"))
    response.set_cookie(
        selectors.REFERRAL_COOKIE, code, max_age=THIRTY_DAYS, samesite="Lax", secure=not settings.DEBUG, httponly=True
    )
    return response


@login_required
def my_referrals(request):
    code = services.referral_code_ensure(user=request.user)
    link = request.build_absolute_uri(reverse("referrals:share", args=[code.code]))
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "code": code.code,
            "link": link,
            "share_text": (
                "I'm using TalentVisa to prepare my UK Global Talent visa application. "
                f"Sign up with my link and we both get a free AI review: {link}"
            ),
            "summary": selectors.referral_summary(user=request.user),
            "referrals": selectors.referrals_made(user=request.user),
            "reward_referrer": setting("REFERRAL_REWARD_REFERRER"),
            "monthly_cap": setting("REFERRAL_MONTHLY_REWARD_CAP"),
            "rewards_this_month": services.rewards_this_month(referrer=request.user),
            "require_purchase": setting("REFERRAL_REQUIRE_PURCHASE"),
        },
    )


class SignupView(AccountsSignupView):
    """allauth's signup, with the code remembered from a share link already filled in."""

    def get_initial(self):
        initial = super().get_initial()
        code = selectors.pending_code(self.request)
        if code:
            initial["referral_code"] = code
        return initial
