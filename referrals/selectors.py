from django.db.models import Count, Q, Sum

from accounts.models import LedgerEntry, User

from .models import Referral

REFERRAL_COOKIE = "tv_ref"
REFERRAL_SESSION_KEY = "referral_code"


def pending_code(request) -> str:
    """The code remembered from a share link (session first, then the 30-day cookie)."""
    return request.session.get(REFERRAL_SESSION_KEY) or request.COOKIES.get(REFERRAL_COOKIE, "")


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    shown = local[:2] if len(local) > 3 else local[:1]
    return f"{shown}{'•' * 3}@{domain}"


def referral_summary(*, user: User) -> dict:
    counts = Referral.objects.filter(referrer=user).aggregate(
        signed_up=Count("pk"),
        qualified=Count("pk", filter=Q(status__in=[Referral.Status.QUALIFIED, Referral.Status.REWARDED])),
        rewarded=Count("pk", filter=Q(status=Referral.Status.REWARDED)),
    )
    earned = LedgerEntry.objects.filter(
        user=user, reason=LedgerEntry.Reason.REFERRAL, asset=LedgerEntry.Asset.FREE_AI_USES
    ).aggregate(total=Sum("amount"))["total"]
    return {**counts, "free_uses_earned": earned or 0}


def referrals_made(*, user: User, limit: int = 100) -> list[dict]:
    rows = Referral.objects.filter(referrer=user).select_related("referred").order_by("-created_at")[:limit]
    return [
        {
            "email": mask_email(r.referred.email),
            "status": r.status,
            "status_label": r.get_status_display(),
            "created_at": r.created_at,
            "note": r.rejection_reason,
        }
        for r in rows
    ]


def top_referrers(*, limit: int = 20):
    return (
        User.objects.annotate(
            referred_count=Count("referrals_made"),
            rewarded_count=Count("referrals_made", filter=Q(referrals_made__status=Referral.Status.REWARDED)),
        )
        .filter(referred_count__gt=0)
        .order_by("-rewarded_count", "-referred_count")[:limit]
    )
