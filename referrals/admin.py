from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path

from . import selectors, services
from .models import Referral, ReferralCode, ReferralEvent


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "actor", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["created_at", "referrer", "referred", "via", "status", "rejection_reason", "rewarded_at"]
    list_filter = ["status", "via", ("referrer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["referrer__email", "referred__email"]
    date_hierarchy = "created_at"
    list_select_related = ["referrer", "referred"]
    inlines = [ReferralEventInline]
    actions = ["reward_selected", "reject_selected"]
    # The books (ledger rows) follow the status, so it only changes through the actions.
    readonly_fields = [f.name for f in Referral._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Reward selected referrals (ignores the monthly cap)")
    def reward_selected(self, request, queryset):
        done = 0
        for referral in queryset:
            try:
                services.referral_reward_manually(
                    referral=referral, actor=request.user, note="rewarded by staff in admin"
                )
                done += 1
            except services.ReferralRefused as refused:
                self.message_user(request, f"{referral}: {refused}", messages.WARNING)
        self.message_user(request, f"Rewarded {done} referral(s).")

    @admin.action(description="Reject selected referrals (reverses rewards)")
    def reject_selected(self, request, queryset):
        done = 0
        for referral in queryset:
            try:
                services.referral_reject(referral=referral, actor=request.user, note="rejected by staff in admin")
                done += 1
            except services.ReferralRefused as refused:
                self.message_user(request, f"{referral}: {refused}", messages.WARNING)
        self.message_user(request, f"Rejected {done} referral(s).")

    def get_urls(self):
        return [
            path("top/", self.admin_site.admin_view(self.top_referrers_view), name="referrals_top"),
        ] + super().get_urls()

    def top_referrers_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Top referrers",
            "rows": selectors.top_referrers(limit=50),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/referrals/top_referrers.html", context)


@admin.register(ReferralCode)
class ReferralCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "user", "referred_count", "created_at"]
    search_fields = ["code", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["code", "user", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_referred=Count("user__referrals_made"))

    @admin.display(ordering="_referred", description="Referred")
    def referred_count(self, obj):
        return obj._referred
