"""Staff tools for experts. Approve / reject / verify / set tier go through services, so each
one is recorded as an ExpertEvent (shown inline) with the staff member who did it."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core import audit, fragments
from core.permissions import MoneyActionsMixin

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
class ExpertiseAreaAdmin(fragments.BumpingAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order", "is_active", "expert_count"]
    list_editable = ["sort_order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("experts"))

    @admin.display(description="experts", ordering="n")
    def expert_count(self, obj):
        return obj.n

    def fragment_scopes(self, area):
        return [fragments.DIRECTORY, fragments.TAXONOMY]  # the filter and every profile print area names


@admin.register(ExpertTier)
class ExpertTierAdmin(MoneyActionsMixin, admin.ModelAdmin):
    """A tier's commission applies to every expert in it: editing tiers is a money permission."""

    list_display = ["name", "slug", "commission_bps", "commission_percent", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="commission")
    def commission_percent(self, obj):
        return f"{obj.commission_bps / 100:g}%"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.has_manage_money_permission(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.has_manage_money_permission(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.has_manage_money_permission(request)


@admin.register(Language)
class LanguageAdmin(fragments.BumpingAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def fragment_scopes(self, language):
        return [fragments.DIRECTORY, fragments.TAXONOMY]


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
class ExpertProfileAdmin(fragments.BumpingAdminMixin, MoneyActionsMixin, admin.ModelAdmin):
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
        "user_link",
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
        (
            None,
            {"fields": ["user", "user_link", "display_name", "slug", "headline", "bio", "photo", "years_experience"]},
        ),
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

    @admin.display(description="user account")
    def user_link(self, obj):
        if not obj.user_id:
            return "—"
        url = reverse("admin:accounts_user_change", args=[obj.user_id])
        return format_html('<a href="{}">{}</a>', url, obj.user.email)

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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_manage_money_permission(request):
            fields += ["tier", "commission_override_bps"]  # commission is a money permission
        return fields

    def fragment_scopes(self, expert):
        # The directory and the profile (fields, areas, languages, sessions, hours, overrides:
        # the inlines save in the same transaction); names also print on clients' booking lists.
        return [fragments.NAMES, *fragments.expert_pages(expert.pk)]

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
        if changed or not change:
            audit.record(
                actor=request.user,
                action="expert_edit" if change else "expert_create",
                target=form.instance,
                reason=", ".join(str(c) for c in changed),
            )

    def _each(self, request, queryset, fn, done: str, *, action: str, reason: str = ""):
        ok = 0
        for expert in queryset:
            try:
                fn(expert)
                ok += 1
            except services.ExpertError as exc:
                self.message_user(request, f"{expert}: {exc}", messages.WARNING)
            else:
                audit.record(actor=request.user, action=action, target=expert, reason=reason)
        if ok:
            self.message_user(request, f"{done}: {ok} expert{'s' if ok != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Approve selected experts", permissions=["change"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda e: services.expert_approve(expert=e, actor=request.user),
            "Approved",
            action="expert_approve",
        )

    @admin.action(description="Verify OISC/SRA number of selected experts", permissions=["change"])
    def verify_adviser(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda e: services.expert_adviser_verify(expert=e, actor=request.user),
            "Verified",
            action="expert_adviser_verify",
        )

    @admin.action(description="Reject selected experts (asks for a reason)", permissions=["change"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda e: services.expert_reject(expert=e, actor=request.user, reason=reason),
                "Rejected",
                action="expert_reject",
                reason=reason,
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
                action="expert_tier_set",
                reason=f"{tier.name} ({tier.commission_bps / 100:g}% commission)",
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
