"""Back office for payments. Money rows are read-only: changes go through the services."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from core import audit
from core.exports import CsvExportMixin
from core.money import format_pence
from core.permissions import MoneyActionsMixin, ReadOnlyAdminMixin

from .gateways import GatewayError
from .models import Payment, PaymentEvent, PointsPackage, Refund, WebhookEvent
from .services import refund_create
from .states import PaymentError


class PartialRefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (£)",
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text="In pounds, e.g. 12.50. At most what is left to refund.",
    )
    reason = forms.CharField(max_length=190, help_text="Recorded on the refund and in the staff action log.")

    def clean_amount(self):
        try:
            pence = (self.cleaned_data["amount"] * 100).to_integral_exact()
        except InvalidOperation as exc:  # more than two decimal places slipped through
            raise forms.ValidationError("Use pounds and pence, e.g. 12.50.") from exc
        return int(pence)


class PaymentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PaymentEvent
    fields = ("created_at", "from_status", "to_status", "actor", "source", "note")
    readonly_fields = fields
    extra = 0


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Refund
    fields = ("created_at", "amount_pence", "status", "reason", "requested_by", "gateway_refund_id")
    readonly_fields = fields
    extra = 0


@admin.register(Payment)
class PaymentAdmin(MoneyActionsMixin, CsvExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "created_at", "user", "purpose", "amount", "status", "gateway", "refunded")
    list_filter = ("status", "purpose", "gateway", "currency")
    search_fields = ("=id", "user__email", "checkout_session_id", "payment_intent_id", "charge_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    inlines = (RefundInline, PaymentEventInline)
    actions = ("refund_in_full", "refund_partial")
    csv_export_name = "payments"
    csv_export_columns = [
        ("id", "pk"),
        ("user", "user.email"),
        ("purpose", "purpose"),
        ("description", "description"),
        ("status", "status"),
        ("currency", "currency"),
        ("amount_pence", "amount_pence"),
        ("refunded_pence", "amount_refunded_pence"),
        ("gateway", "gateway"),
        ("payment_intent", "payment_intent_id"),
        ("created_utc", "created_at"),
        ("succeeded_utc", "succeeded_at"),
    ]
    csv_export_money = ("amount_pence", "amount_refunded_pence")
    csv_export_select_related = ("user",)

    @admin.display(description="amount", ordering="amount_pence")
    def amount(self, obj):
        return format_pence(obj.amount_pence, obj.currency)

    @admin.display(description="refunded", ordering="amount_refunded_pence")
    def refunded(self, obj):
        return format_pence(obj.amount_refunded_pence, obj.currency) if obj.amount_refunded_pence else "—"

    @admin.action(description="Refund in full (through the refund service)", permissions=["manage_money"])
    def refund_in_full(self, request, queryset):
        done = 0
        for payment in queryset.annotate(
            failed_refunds=Count("refunds", filter=Q(refunds__status=Refund.Status.FAILED))
        ):
            # Same key for the same state of the payment: a double click refunds once.
            key = f"admin-full-refund-{payment.pk}-{payment.amount_refunded_pence}-{payment.failed_refunds}"
            try:
                refund = refund_create(
                    payment=payment, reason="Refunded in full by staff", requested_by=request.user, idempotency_key=key
                )
                done += 1
                audit.record(
                    actor=request.user,
                    action="payment_refund_full",
                    target=payment,
                    reason=f"{format_pence(refund.amount_pence, payment.currency)} (refund {refund.pk})",
                )
            except (PaymentError, GatewayError) as exc:
                self.message_user(request, f"Payment {payment.pk}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, f"Refunded {done} payment(s) in full.", messages.SUCCESS)

    @admin.action(description="Refund part of one payment…", permissions=["manage_money"])
    def refund_partial(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Refund part of one payment at a time.", messages.WARNING)
            return None
        payment = queryset.select_related("user").get()
        refundable = payment.amount_pence - payment.amount_refunded_pence
        form = PartialRefundForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            pence, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
            # One key per (payment, amount already refunded, amount): a double submit refunds once.
            key = f"admin-partial-refund-{payment.pk}-{payment.amount_refunded_pence}-{pence}"
            try:
                refund = refund_create(
                    payment=payment,
                    amount_pence=pence,
                    reason=f"Staff: {reason}",
                    requested_by=request.user,
                    idempotency_key=key,
                )
            except (PaymentError, GatewayError) as exc:
                self.message_user(request, f"Payment {payment.pk}: {exc}", messages.ERROR)
                return None
            audit.record(
                actor=request.user,
                action="payment_refund_partial",
                target=payment,
                reason=f"{format_pence(pence, payment.currency)}: {reason} (refund {refund.pk})",
            )
            self.message_user(
                request,
                f"Payment {payment.pk}: refunded {format_pence(pence, payment.currency)} ({refund.get_status_display()}).",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/payments/payment/refund_partial.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Refund part of payment {payment.pk}",
                "opts": self.model._meta,
                "payment": payment,
                "paid": format_pence(payment.amount_pence, payment.currency),
                "refundable": format_pence(refundable, payment.currency),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "created_at", "payment", "amount", "status", "reason", "requested_by")
    list_filter = ("status",)
    search_fields = ("=id", "=payment__id", "payment__user__email", "gateway_refund_id", "idempotency_key")
    date_hierarchy = "created_at"
    list_select_related = ("payment", "requested_by")

    @admin.display(description="amount", ordering="amount_pence")
    def amount(self, obj):
        return format_pence(obj.amount_pence, obj.payment.currency)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "event_id",
        "type",
        "endpoint",
        "received_at",
        "processed_at",
        "attempts",
        "has_error",
        "needs_attention",
        "attention_reason",
    )
    list_filter = (
        "needs_attention",  # answered 2xx without effect: a retry could not fix it; see the reason
        "endpoint",
        "type",
        "livemode",
        ("processed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("event_id", "type")
    date_hierarchy = "received_at"

    @admin.display(boolean=True, description="error")
    def has_error(self, obj):
        return bool(obj.error)


@admin.register(PointsPackage)
class PointsPackageAdmin(admin.ModelAdmin):
    """Staff edit these freely: a payment copies the package's terms when it is created."""

    list_display = ("name", "points", "price", "active", "sort_order")
    list_editable = ("active", "sort_order")
    list_filter = ("active",)
    search_fields = ("name",)

    @admin.display(description="price", ordering="price_pence")
    def price(self, obj):
        return format_pence(obj.price_pence)
