"""Back office for payments. Money rows are read-only: changes go through the services."""

from django.contrib import admin, messages
from django.db.models import Count, Q

from site_admin.exports import csv_export_action
from site_admin.permissions import MoneyActionsMixin
from talentvisa.money import format_pence

from .gateways import GatewayError
from .models import Payment, PaymentEvent, PointsPackage, Refund, WebhookEvent
from .services import refund_create
from .states import PaymentError


class ReadOnlyAdminMixin:
    """Editing these rows by hand would break the books; they change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class PaymentAdmin(MoneyActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "created_at", "user", "purpose", "amount", "status", "gateway", "refunded")
    list_filter = ("status", "purpose", "gateway", "currency")
    search_fields = ("=id", "user__email", "checkout_session_id", "payment_intent_id", "charge_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    inlines = (RefundInline, PaymentEventInline)
    actions = (
        "refund_in_full",
        csv_export_action(
            name="payments",
            columns=[
                ("id", "pk"),
                ("user", "user.email"),
                ("purpose", "purpose"),
                ("description", "description"),
                ("status", "status"),
                ("amount_pence", "amount_pence"),
                ("refunded_pence", "amount_refunded_pence"),
                ("gateway", "gateway"),
                ("created_utc", "created_at"),
                ("succeeded_utc", "succeeded_at"),
            ],
            money=("amount_pence", "amount_refunded_pence"),
            select_related=("user",),
        ),
    )

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
                refund_create(
                    payment=payment, reason="Refunded in full by staff", requested_by=request.user, idempotency_key=key
                )
                done += 1
            except (PaymentError, GatewayError) as exc:
                self.message_user(request, f"Payment {payment.pk}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, f"Refunded {done} payment(s) in full.", messages.SUCCESS)


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
    list_display = ("event_id", "type", "endpoint", "received_at", "processed_at", "attempts", "has_error")
    list_filter = ("endpoint", "type", "livemode", ("processed_at", admin.EmptyFieldListFilter))
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
