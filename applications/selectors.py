"""Reads for the application pack. Every object read is scoped to its owner (anyone else gets a 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ai_tools.models import AIRun
from bookings.selectors import booking_ids_shared_with_expert_user

from .models import Application, EvidenceDocument, PlanShare, RecommendationLetter


def documents_of(*, application: Application) -> list[EvidenceDocument]:
    return list(application.documents.order_by("position", "id"))


def document_for_owner(*, user, pk: int) -> EvidenceDocument:
    return get_object_or_404(EvidenceDocument.objects.filter(application__owner=user), pk=pk)


def letters_of(*, application: Application) -> list[RecommendationLetter]:
    return list(application.letters.order_by("position"))


def letter_for_owner(*, user, position: int) -> RecommendationLetter | None:
    return RecommendationLetter.objects.filter(application__owner=user, position=position).first()


def letters_check_for_owner(*, user, pk: int) -> AIRun:
    return get_object_or_404(AIRun.objects.filter(user=user, tool=AIRun.Tool.LETTERS_CHECK), pk=pk)


def _latest(user, tool: str, *, succeeded: bool = True) -> AIRun | None:
    runs = AIRun.objects.filter(user=user, tool=tool)
    if succeeded:
        runs = runs.filter(status=AIRun.Status.SUCCEEDED)
    return (
        runs.only("id", "user_id", "tool", "status", "headline", "result", "created_at", "finished_at")
        .order_by("-created_at", "-id")
        .first()
    )


def latest_runs(*, user) -> dict[str, AIRun | None]:
    """The newest finished CV analysis and statement review, and the newest letters check (any status)."""
    return {
        "cv": _latest(user, AIRun.Tool.CV_ANALYSIS),
        "statement": _latest(user, AIRun.Tool.STATEMENT_ENHANCE),
        "letters": _latest(user, AIRun.Tool.LETTERS_CHECK, succeeded=False),
    }


def shares_of(*, application: Application) -> list[PlanShare]:
    return list(application.shares.select_related("booking__expert", "booking__session_type").order_by("-created_at"))


def shared_application_for_expert(*, user, booking_id: int) -> Application:
    """The application shared with the expert ``user`` through their paid booking ``booking_id``; 404 otherwise."""
    share = get_object_or_404(
        PlanShare.objects.select_related("application__owner", "booking"),
        booking_id=booking_id,
        booking_id__in=booking_ids_shared_with_expert_user(user=user),
    )
    return share.application


def plans_shared_with_expert(*, user) -> dict[int, int]:
    """booking id -> application id, for the expert's bookings whose client shared the plan."""
    return dict(
        PlanShare.objects.filter(booking_id__in=booking_ids_shared_with_expert_user(user=user)).values_list(
            "booking_id", "application_id"
        )
    )
