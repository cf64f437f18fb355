"""Staff back office for bookings. Every action goes through bookings.services and is recorded
as a BookingEvent with the staff member as actor; money and status are read-only here."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse

from core import audit
from core.exports import CsvExportMixin
from core.money import format_pence
from core.permissions import MoneyActionsMixin, NoAddNoDeleteAdminMixin
from expert_marketplace.models import ExpertProfile

from .models import Booking, BookingDocument, BookingEvent, ReminderSent
from .services import BookingError, booking_cancel, booking_reassign, booking_refund


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BookingDocumentInline(admin.TabularInline):
    model = BookingDocument
    extra = 0
    can_delete = False
    fields = ("document", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReassignForm(forms.Form):
    new_expert = forms.ModelChoiceField(
        queryset=ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED).order_by("display_name")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


@admin.register(Booking)
class BookingAdmin(NoAddNoDeleteAdminMixin, MoneyActionsMixin, CsvExportMixin, admin.ModelAdmin):
    # Bookings are made by clients through the wizard, and money and history hang off them.
    list_display = ("reference", "client_email", "expert", "start_at", "status", "price", "created_at")
    list_filter = ("status", "expert")
    date_hierarchy = "start_at"
    search_fields = ("reference", "client__email")
    list_select_related = ("client", "expert")
    inlines = [BookingDocumentInline, BookingEventInline]
    actions = ["cancel_by_staff", "reassign_expert", "refund_full"]
    csv_export_name = "bookings"
    csv_export_columns = [
        ("id", "pk"),
        ("reference", "reference"),
        ("status", "status"),
        ("client", "client.email"),
        ("expert", "expert.display_name"),
        ("session", "session_type.name"),
        ("start_utc", "start_at"),
        ("end_utc", "end_at"),
        ("currency", "currency"),
        ("price_pence", "price_pence"),
        ("cancel_refund_pence", "cancel_refund_pence"),
        ("commission_bps", "commission_bps"),
        ("payment_id", "payment_id"),
        ("created_utc", "created_at"),
        ("confirmed_utc", "confirmed_at"),
        ("cancelled_utc", "cancelled_at"),
    ]
    csv_export_money = ("price_pence", "cancel_refund_pence")
    csv_export_select_related = ("client", "expert", "session_type")
    readonly_fields = (
        "reference",
        "client",
        "expert",
        "session_type",
        "status",
        "start_at",
        "end_at",
        "hold_expires_at",
        "price_pence",
        "currency",
        "commission_bps",
        "payment",
        "meeting_url",
        "reschedule_count",
        "calendar_sequence",
        "questions",
        "target_route",
        "target_category",
        "policy_agreed_at",
        "shared_analyses",
        "cancel_reason",
        "cancelled_by",
        "cancelled_at",
        "cancel_refund_pence",
        "created_at",
        "confirmed_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description="client", ordering="client__email")
    def client_email(self, obj):
        return obj.client.email

    @admin.display(description="price", ordering="price_pence")
    def price(self, obj):
        return format_pence(obj.price_pence, obj.currency)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit():  # search by id too (an "=id" search field would choke on text)
            queryset |= self.model.objects.filter(Q(pk=int(term)))
        return queryset, may_have_duplicates

    def _report(self, request, done: int, failures: list[str], what: str):
        if done:
            self.message_user(request, f"{done} booking(s) {what}.", messages.SUCCESS)
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description="Cancel (by staff, full refund)", permissions=["manage_money"])
    def cancel_by_staff(self, request, queryset):
        done, failures = 0, []
        for booking in queryset.select_related("expert"):
            try:
                booking_cancel(booking=booking, actor=request.user, reason="Cancelled by TalentVisa staff.")
                done += 1
                booking.refresh_from_db(fields=["status"])  # the log shows the new state
                audit.record(actor=request.user, action="booking_cancel_refund", target=booking)
            except BookingError as exc:
                failures.append(f"{booking.reference}: {exc.message}")
        self._report(request, done, failures, "cancelled")

    @admin.action(description="Refund in full", permissions=["manage_money"])
    def refund_full(self, request, queryset):
        done, failures = 0, []
        for booking in queryset:
            try:
                booking_refund(booking=booking, actor=request.user, reason="Refunded in full by staff.")
                done += 1
                booking.refresh_from_db(fields=["status"])  # the log shows the new state
                audit.record(actor=request.user, action="booking_refund_full", target=booking)
            except BookingError as exc:
                failures.append(f"{booking.reference}: {exc.message}")
        self._report(request, done, failures, "refunded")

    @admin.action(description="Reassign to another expert…", permissions=["change"])
    def reassign_expert(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Reassign one booking at a time.", messages.WARNING)
            return None
        booking = queryset.select_related("expert", "session_type", "client").get()
        form = ReassignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                booking_reassign(
                    booking=booking,
                    new_expert=form.cleaned_data["new_expert"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except BookingError as exc:
                self.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
            else:
                audit.record(
                    actor=request.user,
                    action="booking_reassign",
                    target=booking,
                    reason=f"to {form.cleaned_data['new_expert']}: {form.cleaned_data['reason']}",
                )
                self.message_user(
                    request, f"{booking.reference} reassigned to {form.cleaned_data['new_expert']}.", messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reassign {booking.reference}",
            "booking": booking,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bookings/booking/reassign.html", context)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("booking", "kind", "recipient", "sent_at")
    list_filter = ("kind", "recipient")
    search_fields = ("booking__reference",)
    readonly_fields = ("booking", "kind", "recipient", "sent_at")

    def has_add_permission(self, request):
        return False
