"""Staff tools for experts. Approve / reject / verify / set tier go through services, so each
one is recorded as an ExpertEvent (shown inline) with the staff member who did it."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse

from site_admin.permissions import MoneyActionsMixin

from . import services
from .models import (
    AvailabilityOverride,
    ExpertEvent,
    ExpertiseArea,
    ExpertProfile,
    ExpertTier,
    Language,
    SessionType,
)


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order", "is_active", "expert_count"]
    list_editable = ["sort_order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("experts"))

    @admin.display(description="experts", ordering="n")
    def expert_count(self, obj):
        return obj.n


@admin.register(ExpertTier)
class ExpertTierAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "commission_bps", "commission_percent", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="commission")
    def commission_percent(self, obj):
        return f"{obj.commission_bps / 100:g}%"


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class SessionTypeInline(admin.TabularInline):
    model = SessionType
    extra = 0
    fields = ["name", "duration_minutes", "price_pence", "currency", "is_active"]


class AvailabilityOverrideInline(admin.TabularInline):
    model = AvailabilityOverride
    extra = 0
    fields = ["day", "kind", "intervals", "note"]


class ExpertEventInline(admin.TabularInline):
    model = ExpertEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), help_text="The applicant sees this.")


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(queryset=ExpertTier.objects.all())


@admin.register(ExpertProfile)
class ExpertProfileAdmin(MoneyActionsMixin, admin.ModelAdmin):
    list_display = [
        "display_name",
        "user_email",
        "approved",
        "is_active",
        "tier",
        "commission",
        "adviser",
        "adviser_verified",
        "payouts_enabled",
        "created_at",
    ]
    list_filter = ["status", "is_active", "tier", "adviser_status", "adviser_verified", "payouts_enabled"]
    search_fields = ["display_name", "slug", "user__email", "user__full_name", "adviser_number", "stripe_account_id"]
    list_select_related = ["user", "tier"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["expertise_areas", "languages"]
    prepopulated_fields = {"slug": ["display_name"]}
    inlines = [SessionTypeInline, AvailabilityOverrideInline, ExpertEventInline]
    actions = ["approve", "reject", "verify_adviser", "set_tier"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "rejection_reason",
        "adviser_verified",
        "adviser_verified_at",
        "stripe_account_id",
        "charges_enabled",
        "payouts_enabled",
        "details_submitted",
        "requirements_due",
        "connect_updated_at",
        "next_slot_at",
        "rating_avg",
        "rating_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["user", "display_name", "slug", "headline", "bio", "photo", "years_experience"]}),
        ("Expertise", {"fields": ["expertise_areas", "languages"]}),
        (
            "Review (use the list actions to change)",
            {"fields": ["status", "status_changed_at", "rejection_reason", "is_active"]},
        ),
        (
            "Regulated adviser",
            {"fields": ["adviser_status", "adviser_number", "adviser_verified", "adviser_verified_at"]},
        ),
        ("Commission", {"fields": ["tier", "commission_override_bps"]}),
        (
            "Availability",
            {
                "fields": [
                    "timezone",
                    "weekly_schedule",
                    "buffer_minutes",
                    "min_notice_hours",
                    "horizon_days",
                    "next_slot_at",
                ]
            },
        ),
        (
            "Payouts (Stripe Connect, kept in sync by webhooks)",
            {
                "fields": [
                    "stripe_account_id",
                    "charges_enabled",
                    "payouts_enabled",
                    "details_submitted",
                    "requirements_due",
                    "connect_updated_at",
                ]
            },
        ),
        ("Reviews", {"fields": ["rating_avg", "rating_count"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="email", ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description="approved", boolean=True, ordering="status")
    def approved(self, obj):
        return obj.is_approved

    @admin.display(description="commission")
    def commission(self, obj):
        text = f"{obj.commission_bps / 100:g}%"
        return f"{text} (override)" if obj.commission_override_bps is not None else text

    @admin.display(description="adviser", ordering="adviser_status")
    def adviser(self, obj):
        if obj.adviser_status == ExpertProfile.AdviserStatus.NONE:
            return "—"
        return f"{obj.get_adviser_status_display()} {obj.adviser_number}"

    def save_model(self, request, obj, form, change):
        # A changed adviser number must be checked again, whoever typed it.
        if change and {"adviser_status", "adviser_number"} & set(form.changed_data):
            obj.adviser_verified, obj.adviser_verified_at = False, None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data)
        for formset in formsets:
            if formset.has_changed() and formset.model is not ExpertEvent:
                changed.append(formset.model._meta.verbose_name_plural)
        services.expert_staff_edit_record(expert=form.instance, actor=request.user, changed=changed, created=not change)

    def _each(self, request, queryset, fn, done: str):
        ok = 0
        for expert in queryset:
            try:
                fn(expert)
                ok += 1
            except services.ExpertError as exc:
                self.message_user(request, f"{expert}: {exc}", messages.WARNING)
        if ok:
            self.message_user(request, f"{done}: {ok} expert{'s' if ok != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Approve selected experts")
    def approve(self, request, queryset):
        self._each(request, queryset, lambda e: services.expert_approve(expert=e, actor=request.user), "Approved")

    @admin.action(description="Verify OISC/SRA number of selected experts")
    def verify_adviser(self, request, queryset):
        self._each(
            request, queryset, lambda e: services.expert_adviser_verify(expert=e, actor=request.user), "Verified"
        )

    @admin.action(description="Reject selected experts (asks for a reason)")
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda e: services.expert_reject(expert=e, actor=request.user, reason=reason),
                "Rejected",
            )
            return None
        return self._intermediate(request, queryset, form, "reject", "Reject experts")

    @admin.action(description="Set tier of selected experts", permissions=["manage_money"])
    def set_tier(self, request, queryset):
        form = TierForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            tier = form.cleaned_data["tier"]
            self._each(
                request,
                queryset,
                lambda e: services.expert_tier_set(expert=e, actor=request.user, tier=tier),
                f"Set to {tier.name}",
            )
            return None
        return self._intermediate(request, queryset, form, "set_tier", "Set tier")

    def _intermediate(self, request, queryset, form, action, title):
        return TemplateResponse(
            request,
            "admin/expert_marketplace/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action": action,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
