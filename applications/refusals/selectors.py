"""Reads of the refusal review. Every object read is scoped to its owner, or to the expert of a shared booking."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone

from ai_tools.models import AIRun
from bookings.selectors import booking_ids_shared_with_expert_user, bookings_shareable_by_client
from core.timezones import zone_or_default
from expert_marketplace.models import ExpertProfile, SessionType
from expert_marketplace.selectors import listed_experts

from .deadline import Deadline, review_deadline
from .models import RefusalCase, RefusalShare
from .results import RefusalReview


def cases_of(*, user) -> list[RefusalCase]:
    return list(RefusalCase.objects.filter(owner=user).select_related("run").defer("letter_text"))


def case_for_owner(*, user, pk: int) -> RefusalCase:
    return get_object_or_404(RefusalCase.objects.select_related("run"), owner=user, pk=pk)


def deadline_for(case: RefusalCase, *, user) -> Deadline:
    """The deadline in the viewer's time zone (the applicant's own, or the expert's)."""
    return review_deadline(case.decision_date, zone=zone_or_default(user.timezone), now=timezone.now())


def review_of(case: RefusalCase) -> RefusalReview | None:
    run = case.run
    if run is None or run.status != AIRun.Status.SUCCEEDED or not run.result:
        return None
    return RefusalReview.model_validate(run.result)


def latest_reviewed_case(*, user) -> tuple[RefusalCase, RefusalReview] | None:
    """The newest case with a finished review (the readiness plan shows its gaps)."""
    case = (
        RefusalCase.objects.filter(owner=user, run__status=AIRun.Status.SUCCEEDED)
        .select_related("run")
        .defer("letter_text")
        .first()
    )
    return (case, review_of(case)) if case else None


def plan_feed(*, user) -> dict | None:
    """What the readiness plan shows of the latest reviewed refusal: its deadline and the gaps to close."""
    found = latest_reviewed_case(user=user)
    if found is None:
        return None
    case, review = found
    return {"case": case, "review": review, "deadline": deadline_for(case, user=user)}


def shares_of(*, case: RefusalCase) -> list[RefusalShare]:
    return list(case.shares.select_related("booking__expert", "booking__session_type").order_by("-created_at"))


def paid_bookings_after_handoff(*, case: RefusalCase) -> list:
    if case.handoff_at is None:
        return []
    return [b for b in bookings_shareable_by_client(client=case.owner) if b.created_at >= case.handoff_at]


def handoff_experts() -> list[ExpertProfile]:
    """Listed experts with their active session types: verified regulated advisers (OISC/SRA) first, as a review
    request is regulated advice; then by rating."""
    from django.db.models import Case, IntegerField, Prefetch, Value, When

    regulated = Case(
        When(adviser_verified=True, adviser_status__in=["oisc", "sra"], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        listed_experts()
        .annotate(regulated_rank=regulated)
        .order_by("regulated_rank", "-rating_avg", "-rating_count", "display_name", "pk")
        .only(
            "pk",
            "slug",
            "display_name",
            "headline",
            "adviser_status",
            "adviser_number",
            "adviser_verified",
            "rating_avg",
            "rating_count",
        )
        .prefetch_related(
            Prefetch(
                "session_types",
                queryset=SessionType.objects.filter(is_active=True).order_by("duration_minutes", "pk"),
                to_attr="bookable_sessions",
            )
        )
    )


def shared_case_for_expert(*, user, booking_id: int) -> RefusalCase:
    """The refusal shared with the expert ``user`` through their paid booking ``booking_id``; 404 otherwise."""
    share = get_object_or_404(
        RefusalShare.objects.select_related("case__owner", "case__run", "booking"),
        booking_id=booking_id,
        booking_id__in=booking_ids_shared_with_expert_user(user=user),
    )
    return share.case
