"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core import fragments
from core.htmx import wants_partial
from payments.gateways import GatewayError, get_gateway
from payments.gateways.test_mode import test_mode_enabled

from . import selectors, services
from .availability import ScheduleInvalid, slots_by_local_day
from .calendar_import import CalendarImportError
from .decorators import expert_required
from .forms import (
    AvailabilityOverrideForm,
    CalendarImportForm,
    ExpertApplyForm,
    ExpertProfileForm,
    SessionTypeForm,
    WeeklyScheduleForm,
)
from .models import ExpertProfile

DIRECTORY_PAGE_SIZE = 20
PREVIEW_DAYS = 7


def _now() -> dt.datetime:
    """The clock for slot pages (tests may patch it)."""
    return dj_timezone.now()


# --- public ---------------------------------------------------------------------------------


def _viewer_tz(request):
    return selectors.viewer_timezone(
        user=request.user, requested=request.GET.get("tz"), cookie=request.COOKIES.get(selectors.VIEWER_TZ_COOKIE)
    )


@require_GET
def viewer_timezone_set(request):
    """The zone switcher (anonymous visitors): remember the chosen zone in the tz cookie and go back.
    A GET form (a display preference, no data changes), so it may sit in cached fragments without a
    CSRF token. Signed-in users change the zone on their profile instead."""
    zone = selectors.zone_param(request.GET.get("tz"))
    back = request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("experts:directory")
    # The chosen zone replaces any ?tz= in the address it came from.
    parts = urlsplit(back)
    query = QueryDict(parts.query, mutable=True)
    query.pop("tz", None)
    response = HttpResponseRedirect(urlunsplit(("", "", parts.path, query.urlencode(), parts.fragment)))
    if zone:
        response.set_cookie(
            selectors.VIEWER_TZ_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
        )
        messages.success(request, f"Times are now shown in {zone.replace('_', ' ')}.")
    return response


def directory(request):
    """The results (and the filter form) are a cached fragment keyed on the directory's generation,
    the viewer's zone and the normalised query: a cached page reads no expert rows."""
    viewer_tz = _viewer_tz(request)
    query = selectors.directory_query(request.GET)
    page_number = selectors.page_number(request.GET.get("page"))
    querystring = query.urlencode()
    login_next = query.copy()
    if page_number != 1:
        login_next["page"] = str(page_number)
    return render(
        request,
        "expert_marketplace/directory.html",
        {
            "listing": selectors.DirectoryListing(query=query, page_number=page_number, page_size=DIRECTORY_PAGE_SIZE),
            "viewer_tz": viewer_tz,
            "tz_query": query.get("tz", ""),
            "querystring": querystring,
            "page_number": page_number,
            "login_next": f"{request.path}?{login_next.urlencode()}" if login_next else request.path,
            **fragments.fragment_context(fragments.DIRECTORY),
        },
    )


def expert_detail(request, slug):
    """One small query finds the listed expert (or 404s); the body is a cached fragment keyed on
    the expert's generation, the chosen session, the shown month/date and the viewer's zone.
    An htmx request (a month or date in the month view) gets just the month view."""
    head = selectors.expert_public_head(slug=slug)
    viewer_tz = _viewer_tz(request)
    session = selectors.session_param(request.GET.get("session"))
    month, date = selectors.month_param(request.GET.get("month")), selectors.date_param(request.GET.get("date"))
    keep = QueryDict(mutable=True)
    if session:
        keep["session"] = session
    if request.GET.get("tz") and selectors.zone_param(request.GET.get("tz")):
        keep["tz"] = selectors.zone_param(request.GET.get("tz"))
    template = "expert_marketplace/expert_detail.html"
    if wants_partial(request):
        template += "#month-picker"
    return render(
        request,
        template,
        {
            "head": head,
            "profile": selectors.ExpertProfilePage(
                expert_id=head.pk, session=session, viewer_tz=viewer_tz, now=_now(), month=month, date=date
            ),
            "session_key": session,
            "month_key": month,
            "date_key": date,
            "picker_query": keep.urlencode(),
            "viewer_tz": viewer_tz,
            "tz_query": keep.get("tz", ""),
            # The zone the middleware activated (the signed-in user's, else UTC): the reviews' dates use it.
            "active_tz": dj_timezone.get_current_timezone_name(),
            **fragments.fragment_context(
                fragments.expert_scope(head.pk),
                fragments.TAXONOMY,
                fragments.NAMES,  # reviews print reviewers' names
            ),
        },
    )


def expert_book(request, slug):
    """A slot link on the profile (?session=<id>&start=<ISO UTC>): open the booking wizard at the
    time step with this expert, session and slot preselected (it asks to sign in first)."""
    expert = selectors.expert_public_get(slug=slug)
    session = next((s for s in expert.active_sessions if str(s.pk) == request.GET.get("session")), None)
    if session is None:
        messages.info(request, "Choose a session length to see free times.")
        return redirect("experts:detail", slug=slug)
    query = QueryDict(mutable=True)
    query["session"] = str(session.pk)
    if request.GET.get("start"):
        query["start"] = request.GET["start"]
    # The wizard belongs to the bookings app; it asks the visitor to sign in first.
    return redirect(f"{reverse('bookings:new_start')}?{query.urlencode()}")


@login_required
def apply(request):
    if selectors.expert_for_user(user=request.user) is not None:
        return redirect("expert_area:dashboard")
    form = ExpertApplyForm(
        request.POST or None, initial={"display_name": request.user.full_name} if request.method == "GET" else None
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            services.expert_apply(user=request.user, **data)
        except services.ExpertError as exc:
            messages.error(request, str(exc))
            return redirect("expert_area:dashboard")
        messages.success(request, "Thanks for applying. Our team reviews every expert; we will email you.")
        return redirect("expert_area:dashboard")
    return render(request, "expert_marketplace/apply.html", {"form": form})


# --- the expert's own pages -----------------------------------------------------------------


@expert_required
def dashboard(request, expert: ExpertProfile):
    checklist = selectors.expert_completeness(expert=expert)
    return render(
        request,
        "expert_marketplace/expert/dashboard.html",
        {
            "expert": expert,
            "checklist": checklist,
            "done_count": sum(1 for item in checklist if item.done),
            "commission_pc": expert.commission_bps / 100,
            "expert_tz": zoneinfo.ZoneInfo(expert.timezone),
        },
    )


@expert_required
def profile_edit(request, expert: ExpertProfile):
    initial = {
        "display_name": expert.display_name,
        "headline": expert.headline,
        "bio": expert.bio,
        "expertise_areas": list(expert.expertise_areas.all()),
        "languages": list(expert.languages.all()),
        "years_experience": expert.years_experience,
        "adviser_status": expert.adviser_status,
        "adviser_number": expert.adviser_number,
    }
    form = ExpertProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.expert_profile_update(expert=expert, **form.cleaned_data)
        messages.success(request, "Your profile has been saved.")
        return redirect("expert_area:profile")
    return render(request, "expert_marketplace/expert/profile_edit.html", {"expert": expert, "form": form})


def _availability_context(request, expert, *, schedule_form=None, override_form=None, import_form=None):
    now = _now()
    sessions = list(expert.session_types.filter(is_active=True))
    duration = dt.timedelta(minutes=sessions[0].duration_minutes if sessions else 60)
    preview = selectors.expert_free_slots(expert=expert, duration=duration, now=now, days=PREVIEW_DAYS)
    expert_tz = zoneinfo.ZoneInfo(expert.timezone)
    return {
        "expert": expert,
        "schedule_form": schedule_form
        or WeeklyScheduleForm(
            schedule=expert.weekly_schedule,
            initial={
                "timezone": expert.timezone,
                "buffer_minutes": expert.buffer_minutes,
                "min_notice_hours": expert.min_notice_hours,
                "horizon_days": expert.horizon_days,
            },
        ),
        "override_form": override_form or AvailabilityOverrideForm(expert=expert, now=now),
        "overrides": selectors.expert_upcoming_overrides(expert=expert, now=now),
        "preview_by_day": sorted(slots_by_local_day(preview, timezone=expert.timezone).items()),
        "preview_minutes": int(duration.total_seconds() // 60),
        "preview_has_sessions": bool(sessions),
        "preview_days": PREVIEW_DAYS,
        "expert_tz": expert_tz,
        "import_form": import_form or CalendarImportForm(initial={"url": expert.calendar_import_url}),
        "feed_url": request.build_absolute_uri(
            reverse("bookings:expert_feed", kwargs={"token": expert.calendar_feed_token})
        )
        if expert.calendar_feed_token
        else "",
    }


@expert_required
@require_POST
def calendar_feed_regenerate(request, expert: ExpertProfile):
    """Create the secret feed address, or replace it (the old one stops working)."""
    had_one = bool(expert.calendar_feed_token)
    services.expert_calendar_feed_token_regenerate(expert=expert)
    messages.success(
        request,
        "New feed address made: the old one no longer works; subscribe again with this one."
        if had_one
        else "Your calendar feed address is ready: subscribe to it in your calendar app.",
    )
    return redirect(reverse("expert_area:availability") + "#calendars")


@expert_required
@require_POST
def calendar_import(request, expert: ExpertProfile):
    """Save, sync now or remove the address of the expert's own calendar."""
    action = request.POST.get("action", "save")
    if action == "sync" and expert.calendar_import_url:
        if services.expert_calendar_import_sync(expert_id=expert.pk, now=_now()):
            messages.success(request, "Your calendar was read; its busy times now block your slots.")
        else:
            messages.error(request, "We could not read your calendar; see the error below.")
        return redirect(reverse("expert_area:availability") + "#calendars")
    form = CalendarImportForm(request.POST if action != "remove" else {"url": ""})
    if form.is_valid():
        try:
            services.expert_calendar_import_set(expert=expert, url=form.cleaned_data["url"])
        except CalendarImportError as exc:
            form.add_error("url", str(exc))
        else:
            messages.success(
                request,
                "Calendar saved; we read it now and every 15 minutes."
                if form.cleaned_data["url"]
                else "Your calendar is no longer read.",
            )
            return redirect(reverse("expert_area:availability") + "#calendars")
    return render(
        request,
        "expert_marketplace/expert/availability.html",
        _availability_context(request, expert, import_form=form),
        status=400,
    )


@expert_required
def availability(request, expert: ExpertProfile):
    form = None
    if request.method == "POST":
        add_row_for = request.POST.get("add_row")
        if add_row_for:
            # "Add a time range" without JavaScript: show the same values with one more row.
            initial = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "add_row")}
            form = WeeklyScheduleForm(initial=initial, add_row_for=add_row_for)
        else:
            form = WeeklyScheduleForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.expert_availability_update(
                        expert=expert,
                        weekly_schedule=data["weekly_schedule"],
                        timezone=data["timezone"],
                        buffer_minutes=data["buffer_minutes"],
                        min_notice_hours=data["min_notice_hours"],
                        horizon_days=data["horizon_days"],
                    )
                except ScheduleInvalid as exc:
                    for error in exc.errors:
                        form.add_error(None, error)
                else:
                    messages.success(request, "Availability saved. Here are your next free slots.")
                    return redirect(reverse("expert_area:availability") + "#preview")
    template = "expert_marketplace/expert/availability.html"
    if request.htmx and form is not None and request.POST.get("add_row"):
        template += "#weekly-form"
    return render(request, template, _availability_context(request, expert, schedule_form=form))


@expert_required
@require_POST
def override_add(request, expert: ExpertProfile):
    form = AvailabilityOverrideForm(request.POST, expert=expert, now=_now())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.availability_override_create(
                expert=expert, day=data["day"], kind=data["kind"], intervals=data["intervals"], note=data["note"]
            )
        except ScheduleInvalid as exc:
            for error in exc.errors:
                form.add_error(None, error)
        else:
            messages.success(request, f"Saved {data['day']:%A %-d %B}.")
            return redirect(reverse("expert_area:availability") + "#overrides")
    return render(
        request,
        "expert_marketplace/expert/availability.html",
        _availability_context(request, expert, override_form=form),
        status=400,
    )


@expert_required
@require_POST
def override_delete(request, expert: ExpertProfile, override_id: int):
    row = selectors.expert_override_get(expert=expert, override_id=override_id)
    services.availability_override_delete(override=row)
    messages.success(request, f"Removed {row.day:%A %-d %B}.")
    return redirect(reverse("expert_area:availability") + "#overrides")


@expert_required
def sessions(request, expert: ExpertProfile):
    form = SessionTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.session_type_create(
            expert=expert,
            name=data["name"],
            description=data["description"],
            duration_minutes=data["duration_minutes"],
            price_pence=data["price_pence"],
        )
        messages.success(request, f"Added “{data['name']}”.")
        return redirect("expert_area:sessions")
    return render(
        request,
        "expert_marketplace/expert/sessions.html",
        {"expert": expert, "form": form, "session_types": list(expert.session_types.all())},
    )


@expert_required
def session_edit(request, expert: ExpertProfile, session_type_id: int):
    row = selectors.expert_session_type_get(expert=expert, session_type_id=session_type_id)
    initial = {
        "name": row.name,
        "description": row.description,
        "duration_minutes": row.duration_minutes,
        "price": Decimal(row.price_pence) / 100,  # exact: never a float for money
        "is_active": row.is_active,
    }
    form = SessionTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.session_type_update(
            session_type=row,
            name=data["name"],
            description=data["description"],
            duration_minutes=data["duration_minutes"],
            price_pence=data["price_pence"],
            is_active=data["is_active"],
        )
        messages.success(request, f"Saved “{data['name']}”.")
        return redirect("expert_area:sessions")
    return render(
        request, "expert_marketplace/expert/session_edit.html", {"expert": expert, "form": form, "session_type": row}
    )


@expert_required
@require_POST
def session_delete(request, expert: ExpertProfile, session_type_id: int):
    row = selectors.expert_session_type_get(expert=expert, session_type_id=session_type_id)
    if services.session_type_delete(session_type=row):
        messages.success(request, f"Deleted “{row.name}”.")
    else:
        messages.success(request, f"“{row.name}” has bookings, so it is kept for their history and no longer offered.")
    return redirect("expert_area:sessions")


# --- payouts (Stripe Connect Express) ---------------------------------------------------------


def _onboarding_redirect(request, expert: ExpertProfile):
    gateway_is_test = get_gateway().name == "test_mode"
    return_url = request.build_absolute_uri(
        reverse("expert_area:payouts_test_onboarding" if gateway_is_test else "expert_area:payouts_return")
    )
    try:
        url = services.expert_connect_onboarding_link(
            expert=expert,
            refresh_url=request.build_absolute_uri(reverse("expert_area:payouts_refresh")),
            return_url=return_url,
        )
    except GatewayError as exc:
        messages.error(request, f"We could not reach our payment provider. Please try again in a minute. ({exc})")
        return redirect("expert_area:dashboard")
    return redirect(url)


@expert_required
@require_POST
def payouts_start(request, expert: ExpertProfile):
    return _onboarding_redirect(request, expert)


@expert_required
def payouts_refresh(request, expert: ExpertProfile):
    """Stripe sends the expert here when an onboarding link expired: make a fresh one."""
    return _onboarding_redirect(request, expert)


@expert_required
def payouts_return(request, expert: ExpertProfile):
    if expert.payouts_enabled:
        messages.success(request, "Payouts are enabled. You can be paid for consultations.")
    else:
        messages.info(
            request,
            "Thanks. Stripe is checking your details; your payout status below updates as soon as Stripe tells us.",
        )
    return redirect("expert_area:dashboard")


@expert_required
def payouts_test_onboarding(request, expert: ExpertProfile):
    """Test mode only: stands in for Stripe's hosted onboarding and settles like account.updated."""
    if not test_mode_enabled() or get_gateway().name != "test_mode" or not expert.stripe_account_id.startswith("tm_"):
        raise Http404("Test-mode onboarding is off.")
    if request.method == "POST":
        if request.POST.get("action") == "complete":
            services.expert_connect_account_sync(
                account_id=expert.stripe_account_id,
                charges_enabled=True,
                payouts_enabled=True,
                details_submitted=True,
                requirements_due=[],
            )
        else:
            services.expert_connect_account_sync(
                account_id=expert.stripe_account_id,
                charges_enabled=False,
                payouts_enabled=False,
                details_submitted=False,
                requirements_due=["external_account", "individual.verification.document"],
            )
        return redirect("expert_area:payouts_return")
    return render(request, "expert_marketplace/expert/test_onboarding.html", {"expert": expert})
