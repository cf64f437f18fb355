"""Thin views: parse the request, call a selector or service, render. Every object is looked up
through its owner (the expert's or the client's), so another user's id is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ai_tools.reports import cv_analysis_report
from ai_tools.results import CVAnalysis
from bookings import policy as booking_policy
from bookings import selectors as booking_selectors
from bookings.views.thread import thread_context, thread_post
from core.conf import setting
from core.exports import csv_cell, csv_response
from core.timezones import zone_or_default
from expert_marketplace.decorators import expert_only
from expert_marketplace.selectors import viewer_timezone

from . import policy, selectors, services
from .forms import DisputeForm, DisputeResponseForm, NoShowForm, NotesForm, ReplyForm, ReviewForm
from .models import Dispute, Earning

PAGE_SIZE = 20


def now() -> dt.datetime:
    """The clock of every consultations page (tests may patch it)."""
    return timezone.now()


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- the expert's consultations --------------------------------------------------------------------


def _run_and_report(request, action, *, success: str) -> None:
    """Run an expert's service call and flash the outcome: its ConsultationError message, or success."""
    try:
        action()
    except services.ConsultationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@expert_only
@require_GET
def expert_list(request, expert):
    tab = request.GET.get("tab") if request.GET.get("tab") in selectors.TABS else "to_complete"
    current = now()
    counts = selectors.expert_tab_counts(expert=expert, now=current)
    if "tab" not in request.GET and not counts["to_complete"]:
        tab = "upcoming"
    page = _page(request, selectors.expert_consultations(expert=expert, tab=tab, now=current))
    return render(
        request,
        "consultations/expert/list.html",
        {
            "expert": expert,
            "page": page,
            "bookings": page.object_list,
            "tab": tab,
            "tabs": selectors.TABS,
            "counts": counts,
            "now": current,
            "expert_tz": zone_or_default(expert.timezone),
            "section": "consultations",
        },
    )


def _detail_context(request, expert, booking, **forms):
    """The one expert page of a booking: client and intake, everything shared, actions, notes, messages."""
    consultation = selectors.consultation_of(booking)
    current = now()
    upcoming = booking.status == booking.Status.CONFIRMED and booking.start_at > current
    return {
        **thread_context(
            booking=booking,
            user=request.user,
            post_url=reverse("consultations:expert_messages", args=[booking.pk]),
            current=current,
        ),
        "viewer_tz": zone_or_default(expert.timezone),
        "shared_docs": list(booking.shared_documents.all()),
        "shared_runs": list(booking.shared_analyses.all()),
        "shared_more": booking_selectors.expert_shares(booking=booking),
        "can_cancel": upcoming
        and booking_policy.cancellation_outcome(booking=booking, by=booking_policy.EXPERT, now=current).allowed,
        "expert": expert,
        "booking": booking,
        "consultation": consultation,
        "review": selectors.review_of(booking),
        "disputes": list(booking.disputes.all()),
        "now": current,
        "started": booking.start_at <= current,
        "expert_tz": zone_or_default(expert.timezone),
        "notes_form": forms.get("notes_form")
        or NotesForm(
            initial={
                "expert_notes": consultation.expert_notes if consultation else "",
                "shared_notes": consultation.shared_notes if consultation else "",
            }
        ),
        "no_show_form": forms.get("no_show_form") or NoShowForm(),
        "response_form": DisputeResponseForm(),
        "dispute_deadline": policy.dispute_deadline(booking=booking),
        "section": "consultations",
    }


@expert_only
@require_GET
def expert_detail(request, expert, booking_id: int):
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    return render(request, "consultations/expert/detail.html", _detail_context(request, expert, booking))


@expert_only
@require_POST
def expert_complete(request, expert, booking_id: int):
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    _run_and_report(
        request,
        lambda: services.consultation_complete(booking=booking, actor=request.user, now=now()),
        success=f"Marked complete. We've asked {booking.client.full_name or 'the client'} for a review.",
    )
    return redirect("consultations:expert_detail", booking_id=booking.pk)


@expert_only
@require_POST
def expert_no_show(request, expert, booking_id: int):
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    form = NoShowForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "consultations/expert/detail.html",
            _detail_context(request, expert, booking, no_show_form=form),
            status=400,
        )
    _run_and_report(
        request,
        lambda: services.consultation_report_no_show(
            booking=booking, actor=request.user, note=form.cleaned_data["note"], now=now()
        ),
        success="Recorded: the client did not attend. They can contest it within 48 hours.",
    )
    return redirect("consultations:expert_detail", booking_id=booking.pk)


@expert_only
@require_POST
def expert_notes(request, expert, booking_id: int):
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "consultations/expert/detail.html",
            _detail_context(request, expert, booking, notes_form=form),
            status=400,
        )
    _run_and_report(
        request,
        lambda: services.consultation_notes_update(booking=booking, actor=request.user, now=now(), **form.cleaned_data),
        success="Notes saved.",
    )
    return redirect("consultations:expert_detail", booking_id=booking.pk)


@expert_only
@require_POST
def expert_messages(request, expert, booking_id: int):
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    return thread_post(
        request,
        booking=booking,
        post_url=reverse("consultations:expert_messages", args=[booking.pk]),
        page_url=reverse("consultations:expert_detail", args=[booking.pk]),
        current=now(),
    )


@expert_only
@require_GET
def expert_analysis(request, expert, booking_id: int, run_id: int):
    """A CV analysis the client shared with this booking, read-only (the client's own result partial)."""
    booking = selectors.expert_booking_get(expert=expert, booking_id=booking_id)
    run = booking_selectors.shared_analysis_for_expert(expert=expert, booking_id=booking.pk, run_id=run_id)
    return render(
        request,
        "consultations/expert/analysis.html",
        {
            "expert": expert,
            "booking": booking,
            "run": run,
            "analysis": CVAnalysis.model_validate(run.result),
            "expert_tz": zone_or_default(expert.timezone),
            "section": "consultations",
        },
    )


@expert_only
@require_GET
def expert_analysis_pdf(request, expert, booking_id: int, run_id: int):
    run = booking_selectors.shared_analysis_for_expert(expert=expert, booking_id=booking_id, run_id=run_id)
    pdf, filename = cv_analysis_report(run)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- earnings -------------------------------------------------------------------------------------


@expert_only
@require_GET
def expert_earnings(request, expert):
    page = _page(request, selectors.expert_earnings(expert=expert))
    return render(
        request,
        "consultations/expert/earnings.html",
        {
            "expert": expert,
            "totals": selectors.expert_earning_totals(expert=expert),
            "dispute_hours": setting("DISPUTE_WINDOW_HOURS"),
            "page": page,
            "earnings": page.object_list,
            "expert_tz": zone_or_default(expert.timezone),
            "section": "earnings",
        },
    )


CSV_COLUMNS = [
    "earning_id",
    "created_at_utc",
    "kind",
    "booking_reference",
    "session_start_utc",
    "gross_pence",
    "commission_bps",
    "commission_pence",
    "net_pence",
    "held_back_pence",
    "status",
    "available_at_utc",
    "paid_at_utc",
    "transfer_id",
    "reason",
]


def _iso(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def _earning_rows(expert):
    yield CSV_COLUMNS
    for e in selectors.expert_earnings(expert=expert).iterator(chunk_size=500):
        yield [
            csv_cell(value)
            for value in (
                e.pk,
                _iso(e.created_at),
                e.kind,
                e.booking.reference if e.booking_id else "",
                _iso(e.booking.start_at) if e.booking_id else "",
                e.gross_pence,
                e.commission_bps,
                e.commission_pence,
                e.net_pence,
                e.clawback_pence,
                e.status,
                _iso(e.available_at),
                _iso(e.paid_at),
                e.transfer_id,
                e.reason,
            )
        ]


@expert_only
@require_GET
def expert_earnings_csv(request, expert):
    return csv_response(_earning_rows(expert), filename=f"talentvisa-earnings-{expert.slug}.csv", streaming=False)


# --- reviews and disputes ------------------------------------------------------------------------


@expert_only
@require_GET
def expert_reviews(request, expert):
    page = _page(request, selectors.expert_reviews(expert=expert))
    return render(
        request,
        "consultations/expert/reviews.html",
        {"expert": expert, "page": page, "reviews": page.object_list, "reply_form": ReplyForm(), "section": "reviews"},
    )


@expert_only
@require_POST
def expert_review_reply(request, expert, review_id: int):
    review = selectors.expert_review_get(expert=expert, review_id=review_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors.get("text", ["Write a reply."])))
        return redirect("consultations:expert_reviews")
    _run_and_report(
        request,
        lambda: services.review_reply(review=review, actor=request.user, text=form.cleaned_data["text"], now=now()),
        success="Reply posted.",
    )
    return redirect("consultations:expert_reviews")


@expert_only
@require_GET
def expert_disputes(request, expert):
    page = _page(request, selectors.expert_disputes(expert=expert))
    return render(
        request,
        "consultations/expert/disputes.html",
        {
            "expert": expert,
            "page": page,
            "disputes": page.object_list,
            "response_form": DisputeResponseForm(),
            "expert_tz": zone_or_default(expert.timezone),
            "section": "disputes",
        },
    )


@expert_only
@require_POST
def expert_dispute_respond(request, expert, dispute_id: int):
    dispute = selectors.expert_dispute_get(expert=expert, dispute_id=dispute_id)
    form = DisputeResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors.get("response", ["Write your response."])))
        return redirect("consultations:expert_disputes")
    _run_and_report(
        request,
        lambda: services.dispute_respond(
            dispute=dispute, actor=request.user, response=form.cleaned_data["response"], now=now()
        ),
        success="Response sent. Our team will decide and email you both.",
    )
    return redirect("consultations:expert_disputes")


# --- the client's side ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_review(request, booking_id: int):
    booking = selectors.client_booking_get(client=request.user, booking_id=booking_id)
    actions = selectors.client_actions(booking=booking, user=request.user, now=now())
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_create(booking=booking, client=request.user, now=now(), **form.cleaned_data)
        except services.ConsultationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Thank you — your review of {booking.expert.display_name} is published.")
            return redirect("bookings:detail", pk=booking.pk)
    return render(
        request,
        "consultations/review_form.html",
        {"booking": booking, "form": form, "actions": actions, "viewer_tz": viewer_timezone(user=request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_problem(request, booking_id: int):
    booking = selectors.client_booking_get(client=request.user, booking_id=booking_id)
    current = now()
    actions = selectors.client_actions(booking=booking, user=request.user, now=current)
    kinds = services.dispute_kinds_for(booking=booking)
    form = DisputeForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_open(
                booking=booking,
                client=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                now=current,
            )
        except services.ConsultationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Thanks — we've received your report and asked the expert for their side.")
            return redirect("bookings:detail", pk=booking.pk)
    return render(
        request,
        "consultations/problem_form.html",
        {
            "booking": booking,
            "form": form,
            "actions": actions,
            "kinds": kinds,
            "viewer_tz": viewer_timezone(user=request.user),
            "Kind": Dispute.Kind,
            "Earning": Earning,
        },
        status=400 if form.errors else 200,
    )
