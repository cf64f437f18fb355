"""The booking wizard: (1) length, (2) expert, (3) time -> hold, (4) intake, (5) review and pay.

Steps 1-3 keep the client's choices in the session (bookings.wizard.WizardState); every step is
a GET-able page that re-renders from that state and every POST redirects (PRG). From step 4 on
the held Booking is the state. An expired hold shows a page offering another slot, never a charge.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expert_marketplace.selectors import offered_session_type
from payments.gateways import GatewayError

from .. import policy, selectors, services, wizard
from ..forms import ExpertChoiceForm, IntakeForm, LengthForm, SlotForm
from ..models import Booking
from ..wizard import WizardState, price_range_label
from .common import client_tz, now, wants_partial

STEPS = ("Session", "Expert", "Time", "Your details", "Review & pay")


def _steps(current: int) -> list[dict]:
    return [{"n": n, "label": label, "current": n == current, "done": n < current} for n, label in enumerate(STEPS, 1)]


def _area_name(areas, slug: str) -> str:
    return next((a.name for a in areas if a.slug == slug), "")


# --- step 1 ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_length(request):
    state = WizardState.load(request)
    areas = wizard.bookable_areas()
    slugs = {a.slug for a in areas}
    area = request.POST.get("area", "") if request.method == "POST" else request.GET.get("area", state.area)
    area = area if area in slugs else ""
    lengths = wizard.length_options(area=area)
    form = LengthForm(
        request.POST or None,
        areas=areas,
        lengths=lengths,
        initial={"area": area, "minutes": request.GET.get("minutes") or state.minutes},
    )
    if request.method == "POST" and form.is_valid():
        minutes = form.cleaned_data["minutes"]
        if (state.area, state.minutes) != (area, minutes):
            state = WizardState(area=area, minutes=minutes)
        state.save(request)
        return redirect("bookings:new_expert")
    template = "bookings/new_length.html"
    if request.method == "GET" and wants_partial(request):
        template += "#lengths"
    return render(
        request,
        template,
        {
            "form": form,
            "areas": areas,
            "area": area,
            "lengths": lengths,
            "steps": _steps(1),
            "selected_minutes": str(form["minutes"].value() or ""),
        },
    )


# --- step 2 ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_expert(request):
    state = WizardState.load(request)
    if not state.has_length():
        return redirect("bookings:new")
    options = wizard.expert_options(area=state.area, minutes=state.minutes, now=now())
    form = ExpertChoiceForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        if (state.expert, state.session) != (choice["expert"], choice["session"]):
            state.start = ""
        state.expert, state.session = choice["expert"], choice["session"]
        state.save(request)
        return redirect("bookings:new_time")
    prices = wizard.price_range(options)
    return render(
        request,
        "bookings/new_expert.html",
        {
            "form": form,
            "state": state,
            "options": options,
            "any_price": price_range_label(*prices) if prices else "",
            "area_name": _area_name(wizard.bookable_areas(), state.area) if state.area else "",
            "viewer_tz": client_tz(request),
            "steps": _steps(2),
        },
        status=400 if form.errors else 200,
    )


# --- step 3 ----------------------------------------------------------------------------------


def _time_options(state: WizardState, current):
    if state.is_any:
        return wizard.expert_options(area=state.area, minutes=state.minutes, now=current, with_next_slot=False)
    option = wizard.single_expert_option(
        expert_id=state.expert_id, session_id=state.session, minutes=state.minutes, now=current
    )
    return [option] if option else []


def _nearest(starts, around, *, limit=6):
    return sorted((s for s in starts if s != around), key=lambda s: abs((s - around).total_seconds()))[:limit]


@login_required
@require_http_methods(["GET", "POST"])
def new_time(request):
    state = WizardState.load(request)
    if not state.has_expert():
        return redirect("bookings:new_expert" if state.has_length() else "bookings:new")
    current = now()
    options = _time_options(state, current)
    if not options:
        messages.info(request, "That expert no longer offers this session. Please choose again.")
        state.expert, state.session, state.start = "", None, ""
        state.save(request)
        return redirect("bookings:new_expert")
    tz = client_tz(request)
    preselected = wizard.parse_start(state.start)

    error, alternatives, status = "", [], 200
    form = SlotForm(request.POST or None)
    if request.method == "POST":
        slots = wizard.candidate_slots(options=options, now=current)  # up to each expert's horizon
        if not form.is_valid():
            error, status = form.errors["start"][0], 400
        else:
            start = form.cleaned_data["start"]
            candidates = (
                slots.get(start, []) if state.is_any else [wizard.Candidate(options[0].expert, options[0].cheapest)]
            )
            try:
                booking = services.booking_hold_first_free(
                    client=request.user, session_types=[c.session_type for c in candidates], start=start, now=current
                )
            except services.SlotUnavailable as exc:
                # One expert: their own alternatives; any expert: the nearest times anyone has.
                error, status = exc.message, 409
                alternatives = _nearest(slots.keys(), start) if state.is_any else list(exc.alternatives)
            except services.TooManyHoldAttempts as exc:
                error, status = exc.message, 429
            except services.BookingError as exc:
                error, status = exc.message, 409
            else:
                state.start = ""
                state.save(request)
                return redirect("bookings:intake", pk=booking.pk)
    picker, shown = wizard.time_picker(
        options=options,
        tz=tz,
        now=current,
        requested_month=request.GET.get("month"),
        requested_date=request.GET.get("date"),
        preselected=preselected,
    )
    if preselected not in shown:
        preselected = None
    context = {
        "state": state,
        "picker": picker,
        "viewer_tz": tz,
        "options": options,
        "option": None if state.is_any else options[0],
        "preselected_local": preselected.astimezone(tz) if preselected else None,
        "any_price": price_range_label(*wizard.price_range(options)) if state.is_any else "",
        "error": error,
        "alternatives": [(a.astimezone(tz), wizard.iso_utc(a)) for a in alternatives],
        "post_url": reverse("bookings:new_time"),
        "date_url": reverse("bookings:new_time"),
        "steps": _steps(3),
    }
    template = "bookings/new_time.html"
    if request.method == "GET" and wants_partial(request):
        template += "#picker"
    return render(request, template, context, status=status)


@login_required
@require_GET
def new_start(request):
    """Start the wizard at step 3 with an expert's session (and a slot) preselected.

    Used by the slot links on an expert's public profile (through experts:book) and by
    "pick another time" after a hold expired: ?session=<session type id>[&start=<ISO UTC>].
    """
    session = offered_session_type(raw_id=request.GET.get("session"))
    if session is None:
        messages.info(request, "That session is no longer offered. Choose a session below.")
        return redirect("bookings:new")
    start = wizard.parse_start(request.GET.get("start"))
    WizardState(
        minutes=session.duration_minutes,
        expert=str(session.expert_id),
        session=session.pk,
        start=wizard.iso_utc(start) if start else "",
    ).save(request)
    url = reverse("bookings:new_time")
    if start:
        url += f"?date={start.astimezone(client_tz(request)).date().isoformat()}"
    return redirect(url)


# --- steps 4 and 5: the held booking ------------------------------------------------------


def _held_or_response(request, booking: Booking):
    """None when the hold is live; otherwise the response for a booking past its hold."""
    if booking.status == Booking.Status.PENDING_PAYMENT and booking.hold_is_live(now()):
        return None
    if booking.status in (Booking.Status.PENDING_PAYMENT, Booking.Status.EXPIRED):
        return _expired(request, booking)
    return redirect("bookings:detail", pk=booking.pk)


def _expired(request, booking: Booking):
    tz = client_tz(request)
    alternatives = selectors.booking_alternatives(
        session_type=booking.session_type, around=booking.start_at, now=now(), limit=6
    )
    return render(
        request,
        "bookings/expired.html",
        {
            "booking": booking,
            "viewer_tz": tz,
            "alternatives": [(a.astimezone(tz), wizard.iso_utc(a)) for a in alternatives],
            # The client gave the time back ("Pick another time"): it did not run out on them.
            "released": booking.events.filter(to_status=Booking.Status.EXPIRED, actor_id=booking.client_id).exists(),
        },
        status=410,
    )


def _summary_context(request, booking: Booking, step: int) -> dict:
    return {
        "booking": booking,
        "viewer_tz": client_tz(request),
        "steps": _steps(step),
        "policy_windows": policy.windows(),
        "policy_summary": policy.policy_summary(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def intake(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    if (response := _held_or_response(request, booking)) is not None:
        return response
    initial = {
        "questions": booking.questions,
        "target_route": booking.target_route or None,
        "target_category": booking.target_category or Booking.TargetCategory.UNSURE,
        "shared_runs": list(booking.shared_analyses.values_list("pk", flat=True)),
    }
    initial = {k: v for k, v in initial.items() if v}
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_intake_update(
                booking=booking,
                client=request.user,
                questions=data["questions"],
                target_route=data["target_route"],
                target_category=data["target_category"],
                agree_policy=data["agree_policy"],
                shared_run_ids=[run.pk for run in data["shared_runs"]],
                upload=data["upload"],
                now=now(),
            )
        except services.BookingError as exc:
            booking.refresh_from_db()
            if (response := _held_or_response(request, booking)) is not None:
                return response
            form.add_error(None, exc.message)
        else:
            return redirect("bookings:review", pk=booking.pk)
    shared_docs = list(booking.shared_documents.all())
    return render(
        request,
        "bookings/intake.html",
        {**_summary_context(request, booking, 4), "form": form, "shared_docs": shared_docs},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def release(request, pk: int):
    """ "Pick another time" from the intake: give the held slot back now, then choose again."""
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    if services.booking_hold_release(booking=booking, client=request.user, now=now()):
        tz = client_tz(request)
        when = booking.start_at.astimezone(tz).strftime("%a %-d %b, %H:%M")
        messages.info(request, f"We've released {when} for others. Pick another time.")
    return redirect("bookings:new_time")


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    if (response := _held_or_response(request, booking)) is not None:
        return response
    if not booking.questions or booking.policy_agreed_at is None:
        return redirect("bookings:intake", pk=booking.pk)
    if request.method == "POST":
        success_url = (
            request.build_absolute_uri(reverse("bookings:confirmed", args=[booking.pk]))
            + "?session_id={CHECKOUT_SESSION_ID}"
        )
        cancel_url = request.build_absolute_uri(reverse("bookings:review", args=[booking.pk])) + "?cancelled=1"
        try:
            url = services.booking_checkout_start(
                booking=booking, client=request.user, success_url=success_url, cancel_url=cancel_url, now=now()
            )
        except services.BookingError as exc:
            messages.error(request, f"{exc.message} Nothing was charged.")
            return redirect("bookings:review", pk=booking.pk)
        except GatewayError:
            messages.error(request, "We couldn't start the payment. Nothing was charged; please try again.")
            return redirect("bookings:review", pk=booking.pk)
        return redirect(url)
    return render(
        request,
        "bookings/review.html",
        {
            **_summary_context(request, booking, 5),
            "shared_docs": list(booking.shared_documents.all()),
            "shared_runs": list(booking.shared_analyses.all()),
            "payment_cancelled": request.GET.get("cancelled") == "1",
        },
    )
