"""Staff back office for consultations. Every action goes through consultations.services and is
recorded (ReviewEvent, DisputeEvent, EarningEvent with the staff member as actor); money fields
are read-only."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from bookings.selectors import booking_thread
from core import audit
from core.exports import CsvExportMixin
from core.money import format_pence
from core.permissions import MoneyActionsMixin, NoAddNoDeleteAdminMixin

from . import services
from .forms import AdjustmentForm, DisputeResolveForm, ReviewHideForm
from .models import Consultation, Dispute, DisputeEvent, Earning, EarningEvent, Review, ReviewEvent


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _intermediate(modeladmin, request, *, title, action, form, objects, intro, submit):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": objects,
        "intro": intro,
        "submit": submit,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/consultations/action_form.html", context)


@admin.register(Consultation)
class ConsultationAdmin(NoAddNoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("booking", "expert", "completed_at", "auto_completed", "no_show_reported_at")
    list_filter = ("auto_completed",)
    search_fields = ("booking__reference", "booking__client__email")
    list_select_related = ("booking", "booking__expert")
    readonly_fields = (
        "booking",
        "meeting_url",
        "expert_notes",
        "shared_notes",
        "completed_at",
        "completed_by",
        "auto_completed",
        "no_show_reported_at",
        "no_show_reported_by",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description="expert")
    def expert(self, obj):
        return obj.booking.expert


class ReviewEventInline(_ReadOnlyInline):
    model = ReviewEvent
    fields = readonly_fields = ("created_at", "action", "from_status", "to_status", "actor", "note")


@admin.register(Review)
class ReviewAdmin(NoAddNoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "expert", "rating", "status", "anonymous", "client", "created_at")
    list_filter = ("status", "rating")
    search_fields = ("booking__reference", "client__email", "expert__display_name", "text")
    list_select_related = ("expert", "client")
    inlines = [ReviewEventInline]
    actions = ["hide_reviews", "unhide_reviews"]
    readonly_fields = (
        "booking",
        "expert",
        "client",
        "rating",
        "text",
        "anonymous",
        "status",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "reply",
        "replied_at",
        "created_at",
    )
    fields = readonly_fields

    def _moderate(self, request, queryset, *, to_status, reason):
        done = 0
        for review in queryset:
            try:
                services.review_moderate(review=review, to_status=to_status, actor=request.user, reason=reason)
                done += 1
                audit.record(actor=request.user, action=f"review_{to_status}", target=review, reason=reason)
            except services.ConsultationError as exc:
                self.message_user(request, f"Review {review.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} review(s) {to_status}; ratings recomputed.", messages.SUCCESS)

    @admin.action(description="Hide selected reviews (with a reason)…", permissions=["change"])
    def hide_reviews(self, request, queryset):
        form = ReviewHideForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._moderate(request, queryset, to_status=Review.Status.HIDDEN, reason=form.cleaned_data["reason"])
            return None
        return _intermediate(
            self,
            request,
            title="Hide reviews",
            action="hide_reviews",
            form=form,
            objects=list(queryset),
            intro="Hidden reviews are not shown publicly and do not count in the expert's rating. "
            "The reason is recorded.",
            submit="Hide",
        )

    @admin.action(description="Show selected reviews again", permissions=["change"])
    def unhide_reviews(self, request, queryset):
        self._moderate(request, queryset, to_status=Review.Status.VISIBLE, reason="Shown again by staff.")


class DisputeEventInline(_ReadOnlyInline):
    model = DisputeEvent
    fields = readonly_fields = ("created_at", "from_status", "to_status", "actor", "note")


@admin.register(Dispute)
class DisputeAdmin(NoAddNoDeleteAdminMixin, MoneyActionsMixin, admin.ModelAdmin):
    list_display = ("pk", "booking", "kind", "status", "opened_by", "created_at", "refund_display")
    list_filter = ("status", "kind")
    search_fields = ("booking__reference", "opened_by__email")
    list_select_related = ("booking", "opened_by")
    inlines = [DisputeEventInline]
    actions = ["resolve_dispute"]
    readonly_fields = (
        "booking",
        "opened_by",
        "kind",
        "status",
        "description",
        "response",
        "responded_at",
        "resolution_note",
        "refund_pence",
        "refund",
        "resolved_by",
        "resolved_at",
        "created_at",
        "thread",
    )
    fields = readonly_fields

    @admin.display(description="messages between client and expert (read-only)")
    def thread(self, obj):
        """The booking's message thread: staff read a thread only through a dispute about that booking."""
        rows = booking_thread(booking=obj.booking)
        if not rows:
            return "No messages."
        return format_html(
            '<ol class="booking-thread">{}</ol>',
            format_html_join(
                "",
                "<li><strong>{}</strong> · {} UTC{}<br>{}</li>",
                (
                    (
                        m.get_sender_role_display(),
                        m.created_at.astimezone(dt.UTC).strftime("%d %b %Y %H:%M"),
                        f" · attachment: {m.attachment.original_filename}" if m.attachment else "",
                        linebreaksbr(m.body),
                    )
                    for m in rows
                ),
            ),
        )

    @admin.display(description="refund", ordering="refund_pence")
    def refund_display(self, obj):
        return format_pence(obj.refund_pence) if obj.refund_pence else "—"

    @admin.action(description="Resolve dispute (refund full / partial / reject)…", permissions=["manage_money"])
    def resolve_dispute(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Resolve one dispute at a time.", messages.WARNING)
            return None
        dispute = queryset.select_related("booking", "booking__payment").get()
        form = DisputeResolveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                services.dispute_resolve(
                    dispute=dispute,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    amount_pence=form.cleaned_data.get("amount_pence"),
                    note=form.cleaned_data["note"],
                )
            except services.ConsultationError as exc:
                self.message_user(request, f"Dispute {dispute.pk}: {exc.message}", messages.ERROR)
            else:
                amount = form.cleaned_data.get("amount_pence")
                audit.record(
                    actor=request.user,
                    action=f"dispute_resolve_{form.cleaned_data['outcome']}",
                    target=dispute,
                    reason=(f"{format_pence(amount)}: " if amount else "") + form.cleaned_data["note"],
                )
                self.message_user(request, f"Dispute {dispute.pk} resolved; both sides emailed.", messages.SUCCESS)
            return None
        payment = dispute.booking.payment
        paid = format_pence(payment.amount_pence - payment.amount_refunded_pence) if payment else "no payment"
        return _intermediate(
            self,
            request,
            title=f"Resolve dispute {dispute.pk}",
            action="resolve_dispute",
            form=form,
            objects=[dispute],
            intro=f"Booking {dispute.booking.reference} · {dispute.get_kind_display()} · refundable: {paid}. "
            f"Client: “{dispute.description}” Expert: “{dispute.response or 'no response yet'}”. "
            "A refund goes through payments with the key dispute-<id>-refund (never twice).",
            submit="Resolve",
        )


class EarningEventInline(_ReadOnlyInline):
    model = EarningEvent
    fields = readonly_fields = ("created_at", "from_status", "to_status", "actor", "note")


@admin.register(Earning)
class EarningAdmin(NoAddNoDeleteAdminMixin, MoneyActionsMixin, CsvExportMixin, admin.ModelAdmin):
    list_display = ("pk", "expert", "kind", "booking", "net_display", "status", "available_at", "payout_attempts")
    list_filter = ("status", "kind")
    search_fields = ("expert__display_name", "booking__reference", "transfer_id")
    list_select_related = ("expert", "booking")
    inlines = [EarningEventInline]
    actions = ["add_adjustment", "retry_payout"]
    csv_export_name = "earnings"
    csv_export_columns = [
        ("id", "pk"),
        ("expert", "expert.display_name"),
        ("kind", "kind"),
        ("booking", "booking.reference"),
        ("status", "status"),
        ("currency", "currency"),
        ("gross_pence", "gross_pence"),
        ("commission_bps", "commission_bps"),
        ("commission_pence", "commission_pence"),
        ("net_pence", "net_pence"),
        ("clawback_pence", "clawback_pence"),
        ("transfer_id", "transfer_id"),
        ("available_utc", "available_at"),
        ("paid_utc", "paid_at"),
        ("created_utc", "created_at"),
    ]
    csv_export_money = ("gross_pence", "commission_pence", "net_pence", "clawback_pence")
    csv_export_select_related = ("expert", "booking")
    readonly_fields = (
        "expert",
        "booking",
        "kind",
        "status",
        "gross_pence",
        "commission_bps",
        "commission_pence",
        "net_pence",
        "clawback_pence",
        "currency",
        "reason",
        "created_by",
        "available_at",
        "transfer_id",
        "payout_started_at",
        "payout_attempts",
        "last_error",
        "paid_at",
        "reverse_requested_at",
        "reversal_id",
        "reversed_at",
        "created_at",
    )
    fields = readonly_fields

    @admin.display(description="net", ordering="net_pence")
    def net_display(self, obj):
        return format_pence(obj.net_pence, obj.currency)

    @admin.action(description="Add a bonus / adjustment for this expert…", permissions=["manage_money"])
    def add_adjustment(self, request, queryset):
        experts = {e.expert_id: e.expert for e in queryset.select_related("expert")}
        if len(experts) != 1:
            self.message_user(request, "Select rows of one expert.", messages.WARNING)
            return None
        expert = next(iter(experts.values()))
        form = AdjustmentForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                row = services.earning_adjustment_create(expert=expert, actor=request.user, **form.cleaned_data)
            except services.ConsultationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                audit.record(
                    actor=request.user,
                    action=f"earning_{row.kind}",
                    target=row,
                    reason=f"{format_pence(row.net_pence, row.currency)} for {expert}: {row.reason}",
                )
                self.message_user(
                    request, f"Added {row.get_kind_display().lower()} {row.pk} for {expert}.", messages.SUCCESS
                )
            return None
        return _intermediate(
            self,
            request,
            title=f"Bonus or adjustment for {expert}",
            action="add_adjustment",
            form=form,
            objects=list(queryset[:1]),
            intro="A ledger row available at once: a positive amount is paid in the next payout run.",
            submit="Add",
        )

    @admin.action(description="Retry payout now", permissions=["manage_money"])
    def retry_payout(self, request, queryset):
        for earning in queryset:
            try:
                result = services.earning_payout_retry(earning=earning, actor=request.user)
            except services.ConsultationError as exc:
                self.message_user(request, f"Earning {earning.pk}: {exc.message}", messages.ERROR)
                continue
            audit.record(
                actor=request.user,
                action="earning_payout_retry",
                target=earning,
                reason=f"{result.get_status_display()} {result.transfer_id or result.last_error}".strip(),
            )
            level = messages.SUCCESS if result.status == Earning.Status.PAID else messages.WARNING
            detail = result.transfer_id or result.last_error or "not payable now (state, payouts or open dispute)"
            self.message_user(request, f"Earning {earning.pk}: {result.get_status_display()} — {detail}", level)
