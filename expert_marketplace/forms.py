"""Forms for applying, editing a profile, session types, weekly hours and date overrides."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

from django import forms
from django.utils import timezone as dj_timezone

from core.forms import IdMultipleChoiceField
from core.timezones import is_valid_timezone, timezone_choices

from .availability import ScheduleInvalid, override_from_json, schedule_from_json
from .images import PHOTO_MAX_BYTES, photo_process
from .models import (
    DAY_KEYS,
    DAY_NAMES,
    SESSION_MAX_MINUTES,
    SESSION_MIN_MINUTES,
    SESSION_MIN_PRICE_PENCE,
    AvailabilityOverride,
    ExpertiseArea,
    ExpertProfile,
    Language,
)

ADVISER_NUMBER_RE = re.compile(r"^[A-Za-z0-9/-]{4,20}$")
MAX_ROWS_PER_DAY = 6


class _ProfileFieldsMixin(forms.Form):
    display_name = forms.CharField(
        label="Name shown to clients", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    headline = forms.CharField(
        max_length=160,
        required=False,
        help_text="One line, e.g. “Former Tech Nation assessor · 40+ endorsed applicants”.",
    )
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=5000,
        help_text="At least 200 characters: your background and how you help applicants.",
    )
    expertise_areas = IdMultipleChoiceField(
        queryset=ExpertiseArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Expertise",
    )
    languages = IdMultipleChoiceField(
        queryset=Language.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    years_experience = forms.IntegerField(label="Years of experience", min_value=0, max_value=70, initial=0)
    adviser_status = forms.ChoiceField(
        label="Regulated immigration adviser?",
        choices=ExpertProfile.AdviserStatus.choices,
        initial=ExpertProfile.AdviserStatus.NONE,
    )
    adviser_number = forms.CharField(
        label="OISC or SRA number",
        max_length=40,
        required=False,
        help_text="Staff check it against the public register before a badge is shown. Changing it removes the badge until it is checked again.",
    )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("adviser_status")
        number = (cleaned.get("adviser_number") or "").strip()
        if status and status != ExpertProfile.AdviserStatus.NONE:
            if not number:
                self.add_error("adviser_number", "Enter your registration number, or choose “Not a regulated adviser”.")
            elif not ADVISER_NUMBER_RE.match(number):
                self.add_error("adviser_number", "Use only letters, digits, “/” or “-” (4–20 characters).")
        else:
            cleaned["adviser_number"] = ""
        return cleaned


class ExpertApplyForm(_ProfileFieldsMixin):
    confirm = forms.BooleanField(
        label="I confirm these details are accurate and I agree to be vetted by TalentVisa staff.", required=True
    )


class ExpertProfileForm(_ProfileFieldsMixin):
    photo = forms.FileField(
        required=False,
        label="Profile photo",
        help_text=f"JPEG, PNG or WebP, up to {PHOTO_MAX_BYTES // (1024 * 1024)} MB. We resize it to 512 × 512.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my current photo")

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return photo_process(upload)


class SessionTypeForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="e.g. “Endorsement strategy call”.")
    description = forms.CharField(max_length=255, required=False, help_text="One line on what the client gets.")
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=SESSION_MIN_MINUTES, max_value=SESSION_MAX_MINUTES, initial=60
    )
    price = forms.DecimalField(
        label="Price (£)",
        min_value=Decimal(SESSION_MIN_PRICE_PENCE) / 100,
        max_value=Decimal("5000"),
        decimal_places=2,
        help_text="What the client pays, from £10. The platform commission is taken from it.",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    is_active = forms.BooleanField(label="Offered to clients", required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("price") is not None:
            cleaned["price_pence"] = int((cleaned["price"] * 100).to_integral_value())
        return cleaned


def _pair(start: dt.time, end: dt.time) -> list[str]:
    """A from/to row as the engine's JSON pair. A time input cannot say 24:00, so an end of
    00:00 after a later start means "until midnight"."""
    end_text = "24:00" if end == dt.time(0) and start != dt.time(0) else end.strftime("%H:%M")
    return [start.strftime("%H:%M"), end_text]


def _input_time(text: str) -> str:
    return "00:00" if text == "24:00" else text


def _time_widget():
    return forms.TimeInput(attrs={"type": "time", "step": 300, "class": "input"}, format="%H:%M")


class WeeklyScheduleForm(forms.Form):
    """Weekly hours as rows of from/to times per day, plus the booking rules.

    Works without JavaScript: each day shows its saved ranges and one empty row; the
    "add a time range" button re-renders the form with another empty row for that day.
    Clearing both times of a row removes it.
    """

    timezone = forms.ChoiceField(
        label="Your timezone", help_text="Your weekly hours are in this timezone; clients see them in theirs."
    )
    buffer_minutes = forms.IntegerField(
        label="Buffer between sessions (minutes)", min_value=0, max_value=120, help_text="0–120."
    )
    min_notice_hours = forms.IntegerField(
        label="Minimum notice (hours)", min_value=0, max_value=336, help_text="How soon before a slot it can be booked."
    )
    horizon_days = forms.IntegerField(
        label="Booking horizon (days)", min_value=1, max_value=365, help_text="How far ahead clients can book."
    )

    def __init__(self, *args, schedule: dict | None = None, add_row_for: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        rows = self._row_counts(schedule or {})
        if add_row_for in rows:
            rows[add_row_for] = min(rows[add_row_for] + 1, MAX_ROWS_PER_DAY)
        self.row_counts = rows
        for day in DAY_KEYS:
            for i in range(rows[day]):
                self.fields[f"{day}-{i}-start"] = forms.TimeField(required=False, label="From", widget=_time_widget())
                self.fields[f"{day}-{i}-end"] = forms.TimeField(required=False, label="To", widget=_time_widget())
        if schedule is not None and not self.is_bound:
            for day in DAY_KEYS:
                for i, (start, end) in enumerate(schedule.get(day) or []):
                    self.initial.setdefault(f"{day}-{i}-start", _input_time(start))
                    self.initial.setdefault(f"{day}-{i}-end", _input_time(end))
        self.day_errors: dict[str, list[str]] = {day: [] for day in DAY_KEYS}

    def _row_counts(self, schedule: dict) -> dict[str, int]:
        source = self.data if self.is_bound else self.initial
        counts = {}
        for day in DAY_KEYS:
            # Bound (re-shown with errors): keep every posted row. Unbound: rows that hold a value.
            present = [
                int(m.group(1))
                for key, value in source.items()
                for m in [re.fullmatch(rf"{day}-(\d+)-(?:start|end)", key)]
                if m and (self.is_bound or value)
            ]
            used = max(present) + 1 if present else len(schedule.get(day) or [])
            # Always one empty row to type into (up to the cap), so no JavaScript is needed.
            counts[day] = max(1, min(used + (0 if self.is_bound else 1), MAX_ROWS_PER_DAY))
        return counts

    def days(self):
        """For the template: each day with its rows of (from, to) bound fields and its errors."""
        out = []
        for day in DAY_KEYS:
            rows = [(self[f"{day}-{i}-start"], self[f"{day}-{i}-end"]) for i in range(self.row_counts[day])]
            out.append(
                {
                    "key": day,
                    "name": DAY_NAMES[day],
                    "rows": rows,
                    "errors": self.day_errors[day],
                    "can_add": self.row_counts[day] < MAX_ROWS_PER_DAY,
                }
            )
        return out

    def clean(self):
        cleaned = super().clean()
        schedule: dict[str, list[list[str]]] = {}
        row_problem = False
        for day in DAY_KEYS:
            intervals = []
            for i in range(self.row_counts[day]):
                start, end = cleaned.get(f"{day}-{i}-start"), cleaned.get(f"{day}-{i}-end")
                if f"{day}-{i}-start" in self.errors or f"{day}-{i}-end" in self.errors:
                    row_problem = True
                    continue
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    self.day_errors[day].append(f"{DAY_NAMES[day]}: enter both a start and an end time.")
                    row_problem = True
                    continue
                intervals.append(_pair(start, end))
            schedule[day] = sorted(intervals)
        for errors in self.day_errors.values():
            for error in errors:
                self.add_error(None, error)
        # The complete rows are checked even when others are not, so every problem shows at once.
        # (An unknown zone has its own field error; the intervals are then checked against UTC.)
        try:
            schedule_from_json(schedule, timezone=cleaned.get("timezone") or "UTC")
        except ScheduleInvalid as exc:
            for error in exc.errors:
                self.add_error(None, error)
                for day in DAY_KEYS:
                    if error.startswith(f"{DAY_NAMES[day]}:"):  # the engine names the day first
                        self.day_errors[day].append(error)
        if not row_problem:
            cleaned["weekly_schedule"] = schedule
        return cleaned

    def clean_timezone(self):
        value = self.cleaned_data["timezone"]
        if not is_valid_timezone(value):
            raise forms.ValidationError("Choose a timezone from the list.")
        return value


class AvailabilityOverrideForm(forms.Form):
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(
        label="What changes", choices=AvailabilityOverride.Kind.choices, widget=forms.RadioSelect, initial="off"
    )
    start_1 = forms.TimeField(required=False, label="From", widget=_time_widget())
    end_1 = forms.TimeField(required=False, label="To", widget=_time_widget())
    start_2 = forms.TimeField(required=False, label="From", widget=_time_widget())
    end_2 = forms.TimeField(required=False, label="To", widget=_time_widget())
    note = forms.CharField(max_length=120, required=False, label="Note (only you see it)")

    def __init__(self, *args, expert: ExpertProfile, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert = expert
        self.now = now or dj_timezone.now()

    def extra_rows(self):
        return [(self[f"start_{n}"], self[f"end_{n}"]) for n in (1, 2)]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("day")
        if day is not None:
            local_today = self.now.astimezone(zoneinfo.ZoneInfo(self.expert.timezone)).date()
            if day < local_today:
                self.add_error("day", "Choose today or a later date.")
        intervals = []
        for n in (1, 2):
            start, end = cleaned.get(f"start_{n}"), cleaned.get(f"end_{n}")
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(f"end_{n}", "Enter both a start and an end time.")
                continue
            intervals.append(_pair(start, end))
        if cleaned.get("kind") == AvailabilityOverride.Kind.EXTRA:
            if not intervals and not self.errors:
                self.add_error("start_1", "Extra hours need at least one time range.")
            elif intervals and not self.errors:
                try:
                    override_from_json(day=day or self.now.date(), kind="extra", intervals=sorted(intervals))
                except ScheduleInvalid as exc:
                    for error in exc.errors:
                        self.add_error(None, error)
        cleaned["intervals"] = sorted(intervals) if cleaned.get("kind") == AvailabilityOverride.Kind.EXTRA else []
        return cleaned


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters. Invalid values are ignored rather than shown as errors."""

    expertise = forms.ChoiceField(required=False, label="Expertise")
    language = forms.ChoiceField(required=False, label="Language")
    max_price = forms.IntegerField(
        required=False,
        min_value=10,
        max_value=5000,
        label="Max price (£)",
        widget=forms.NumberInput(attrs={"step": 5, "placeholder": "Any", "inputmode": "numeric"}),
    )
    sort = forms.ChoiceField(required=False, label="Sort by")

    def __init__(self, *args, **kwargs):
        from .selectors import SORTS

        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = [("", "Any expertise")] + list(
            ExpertiseArea.objects.filter(is_active=True).values_list("slug", "name")
        )
        self.fields["language"].choices = [("", "Any language")] + list(Language.objects.values_list("code", "name"))
        self.fields["sort"].choices = list(SORTS.items())

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "expertise": data.get("expertise") or "",
            "language": data.get("language") or "",
            "max_price_pence": data["max_price"] * 100 if data.get("max_price") else None,
            "sort": data.get("sort") or "rating",
        }


class CalendarImportForm(forms.Form):
    """The secret iCal address of the expert's own calendar (empty removes it)."""

    url = forms.CharField(
        label="Your calendar's secret iCal address",
        required=False,
        max_length=2000,
        help_text=(
            "Google: Settings → your calendar → “Secret address in iCal format”. Outlook: Settings → Calendar → "
            "Shared calendars → Publish → ICS. Apple: share the calendar publicly and copy the webcal:// link. "
            "Busy times in it block your slots; we check it every 15 minutes."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://calendar.google.com/calendar/ical/…/basic.ics"}),
    )
