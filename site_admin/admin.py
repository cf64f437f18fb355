from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from core import audit
from core.conf import site_settings, site_settings_update
from core.models import SiteSettings, SiteSettingsChange, StaffAction
from core.permissions import NoAddNoDeleteAdminMixin, ReadOnlyAdminMixin

from . import support
from .models import Inquiry, InquiryMessage


class InquiryMessageInline(admin.TabularInline):
    model = InquiryMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "from_staff", "author", "body", "emailed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class InquiryAdminForm(forms.ModelForm):
    reply = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Stored in the thread and emailed to the user. The inquiry becomes Answered.",
    )
    close_after_reply = forms.BooleanField(required=False, help_text="Mark Closed instead of Answered.")

    class Meta:
        model = Inquiry
        fields = ["status", "assignee"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    form = InquiryAdminForm
    list_display = ["reference", "subject", "email", "topic", "status", "assignee", "updated_at"]
    list_filter = ["status", "topic", ("assignee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "email", "name", "subject", "messages__body"]
    date_hierarchy = "created_at"
    list_select_related = ["assignee"]
    readonly_fields = ["reference", "user", "name", "email", "topic", "subject", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        ("Handling", {"fields": ["status", "assignee"]}),
        ("Reply", {"fields": ["reply", "close_after_reply"]}),
    ]
    inlines = [InquiryMessageInline]
    actions = ["mark_closed"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        body = form.cleaned_data.get("reply", "").strip()
        if body:
            # Through the service: stored, emailed, status moved — never a bare row edit.
            support.inquiry_reply(
                inquiry=obj, staff=request.user, body=body, close=form.cleaned_data.get("close_after_reply", False)
            )
            audit.record(actor=request.user, action="inquiry_reply", target=obj, reason=body[:500])

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if form.cleaned_data.get("reply", "").strip():
            message.append({"changed": {"fields": ["reply (emailed to the user)"]}})
        return message

    @admin.action(description="Close selected inquiries", permissions=["change"])
    def mark_closed(self, request, queryset):
        for inquiry in queryset:
            support.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.CLOSED)
            audit.record(actor=request.user, action="inquiry_close", target=inquiry)
        self.message_user(request, f"Closed {queryset.count()} inquiries.")


@admin.register(SiteSettings)
class SiteSettingsAdmin(NoAddNoDeleteAdminMixin, admin.ModelAdmin):
    """One row. Saving goes through site_settings_update, which records every change."""

    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "Welcome and AI tools",
            {
                "fields": [
                    "signup_bonus_points",
                    "price_cv_analysis",
                    "price_statement_generate",
                    "price_statement_enhance",
                    "price_letters_check",
                    "price_refusal_review",
                ]
            },
        ),
        (
            "Referrals",
            {
                "fields": [
                    "referral_reward_referrer",
                    "referral_reward_referred",
                    "referral_monthly_reward_cap",
                    "referral_require_purchase",
                ]
            },
        ),
        (
            "Bookings policy",
            {
                "fields": [
                    "booking_full_refund_hours",
                    "booking_partial_refund_hours",
                    "booking_partial_refund_percent",
                    "booking_late_cancel_expert_percent",
                    "booking_reschedule_min_hours",
                    "booking_max_reschedules",
                    "booking_hold_minutes",
                    "dispute_window_hours",
                ]
            },
        ),
        ("Privacy", {"fields": ["document_retention_months"]}),
        (
            "Experts and money",
            {
                "fields": ["platform_default_commission_bps"],
                "description": "Points packages are edited under Payments › Points packages.",
            },
        ),
        ("Site", {"fields": ["support_email", "maintenance_banner", "updated_at"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        # There is only one row: go straight to it.
        site_settings()
        return redirect("admin:core_sitesettings_change", 1)

    def save_model(self, request, obj, form, change):
        site_settings_update(actor=request.user, changes={f: form.cleaned_data[f] for f in form.changed_data})
        if form.changed_data:
            audit.record(
                actor=request.user,
                action="site_settings_change",
                target=obj,
                reason=", ".join(f"{f}={form.cleaned_data[f]}" for f in form.changed_data)[:2000],
            )


@admin.register(SiteSettingsChange)
class SiteSettingsChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "field", "old_value", "new_value", "actor"]
    list_filter = ["field"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"


@admin.register(StaffAction)
class StaffActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The one place to see what staff did, across apps. Written by core.audit; never edited."""

    list_display = ["created_at", "actor", "action", "target_link", "short_reason"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), "target_type"]
    search_fields = ["action", "target_repr", "target_id", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]
    fields = ["created_at", "actor", "action", "target_type", "target_id", "target_link", "reason"]
    readonly_fields = fields

    @admin.display(description="target", ordering="target_repr")
    def target_link(self, obj):
        if not obj.target_type_id:
            return obj.target_repr or "—"
        try:
            url = reverse(f"admin:{obj.target_type.app_label}_{obj.target_type.model}_change", args=[obj.target_id])
        except NoReverseMatch:
            return obj.target_repr
        return format_html('<a href="{}">{}</a>', url, obj.target_repr)

    @admin.display(description="reason")
    def short_reason(self, obj):
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:79] + "…"
