from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core import audit, fragments
from core.exports import CsvExportMixin
from core.permissions import MoneyActionsMixin, ReadOnlyAdminMixin

from . import services
from .models import EmailSuppression, LedgerEntry, User, Wallet


class BalanceForm(forms.Form):
    amount = forms.IntegerField(min_value=1, max_value=100_000)
    reason = forms.CharField(max_length=200, help_text="Recorded on the ledger row; the user sees it in their history.")


# (ledger service, asset label, verb) per action; deductions never take a balance below zero.
_BALANCE_ACTIONS = {
    "grant_points": (services.points_grant, "points", "Grant"),
    "deduct_points": (services.points_deduct, "points", "Deduct"),
    "grant_free_uses": (services.free_uses_grant, "free AI uses", "Grant"),
    "deduct_free_uses": (services.free_uses_deduct, "free AI uses", "Deduct"),
}


def _balance_action(name):
    service, asset, verb = _BALANCE_ACTIONS[name]

    @admin.action(description=f"{verb} {asset}…", permissions=["manage_money"])
    def action(modeladmin, request, queryset):
        form = BalanceForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/accounts/balance_form.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": f"{verb} {asset}",
                    "form": form,
                    "queryset": queryset,
                    "action": name,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        amount, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
        for user in queryset:
            try:
                service(
                    user=user,
                    amount=amount,
                    reason=LedgerEntry.Reason.ADJUSTMENT,
                    description=f"Staff: {reason}",
                    actor=request.user,
                )
            except services.InsufficientBalance as exc:
                modeladmin.message_user(request, f"{user.email}: {exc}", messages.ERROR)
            else:
                modeladmin.log_change(request, user, f"{verb} {amount} {asset}: {reason}")
                audit.record(actor=request.user, action=f"{name} {amount}", target=user, reason=reason)
                modeladmin.message_user(request, f"{user.email}: {verb.lower()}ed {amount} {asset}.", messages.SUCCESS)
        return None

    action.__name__ = name
    return action


@admin.register(User)
class UserAdmin(fragments.BumpingAdminMixin, MoneyActionsMixin, CsvExportMixin, BaseUserAdmin):
    actions = [
        *(_balance_action(name) for name in _BALANCE_ACTIONS),
        "resend_verification",
    ]
    csv_export_name = "users"
    csv_export_columns = [
        ("id", "pk"),
        ("email", "email"),
        ("full_name", "full_name"),
        ("role", "role"),
        ("timezone", "timezone"),
        ("points", "wallet.points_balance"),
        ("free_ai_uses", "wallet.free_ai_uses"),
        ("is_active", "is_active"),
        ("is_staff", "is_staff"),
        ("joined_utc", "date_joined"),
        ("last_login_utc", "last_login"),
    ]
    csv_export_select_related = ("wallet",)

    def fragment_scopes(self, user):
        # A rename shows on the reviews the user wrote; a deleted user takes their rows along.
        return [fragments.NAMES, fragments.user_scope(user)]

    @admin.action(description="Resend the verification email", permissions=["view"])
    def resend_verification(self, request, queryset):
        from allauth.account.models import EmailAddress

        sent = 0
        addresses = EmailAddress.objects.filter(user__in=queryset, verified=False, primary=True).select_related("user")
        for address in addresses:
            address.send_confirmation(request)
            self.log_change(request, address.user, "Resent the verification email.")
            audit.record(actor=request.user, action="resend_verification", target=address.user)
            sent += 1
        self.message_user(request, f"Sent {sent} verification email(s); verified addresses were skipped.")

    ordering = ["-date_joined"]
    list_display = ["email", "full_name", "role", "points", "free_ai_uses", "is_active", "is_staff", "date_joined"]
    # The wallet is a one-to-one row: joined in the same query, so the list stays at constant queries.
    list_select_related = ["wallet"]
    readonly_fields = ["wallet_balances", "expert_profile_link"]
    list_filter = ["role", "is_active", "is_staff", "undeliverable_email"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "date_joined"
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "timezone", "role", "expert_profile_link"]}),
        ("Wallet (change with the list actions: grant / deduct)", {"fields": ["wallet_balances"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "password1", "password2"]})]

    @staticmethod
    def _wallet(obj):
        try:
            return obj.wallet
        except Wallet.DoesNotExist:
            return None

    @admin.display(description="points", ordering="wallet__points_balance")
    def points(self, obj):
        wallet = self._wallet(obj)
        return wallet.points_balance if wallet else 0

    @admin.display(description="free AI uses", ordering="wallet__free_ai_uses")
    def free_ai_uses(self, obj):
        wallet = self._wallet(obj)
        return wallet.free_ai_uses if wallet else 0

    @admin.display(description="balances")
    def wallet_balances(self, obj):
        wallet = self._wallet(obj) if obj.pk else None
        if wallet is None:
            return "No wallet yet"
        url = reverse("admin:accounts_ledgerentry_changelist") + f"?user__id__exact={obj.pk}"
        return format_html(
            '{} points · {} free AI uses · <a href="{}">ledger</a>',
            wallet.points_balance,
            wallet.free_ai_uses,
            url,
        )

    @admin.display(description="expert profile")
    def expert_profile_link(self, obj):
        # Through the reverse one-to-one (expert_marketplace sits above accounts: no import).
        profile = obj.__class__.objects.filter(pk=obj.pk).values("expert_profile__pk", "expert_profile__display_name")
        profile = profile.first() if obj.pk else None
        if profile is None or profile["expert_profile__pk"] is None:
            return "—"
        url = reverse("admin:expert_marketplace_expertprofile_change", args=[profile["expert_profile__pk"]])
        return format_html('<a href="{}">{}</a>', url, profile["expert_profile__display_name"])


@admin.register(Wallet)
class WalletAdmin(fragments.BumpingAdminMixin, admin.ModelAdmin):
    list_display = ["user", "points_balance", "free_ai_uses", "updated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    # Balances change only through the ledger services, never by hand.
    readonly_fields = ["user", "points_balance", "free_ai_uses", "updated_at"]

    def has_add_permission(self, request):
        return False

    def fragment_scopes(self, wallet):
        return [fragments.user_scope(wallet.user_id)]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "asset", "amount", "balance_after", "reason", "description"]
    list_filter = ["asset", "reason"]
    search_fields = ["user__email", "idempotency_key", "description"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    """Addresses we no longer mail (hard bounce, complaint). Deleting a row mails the address again
    (the user's banner goes when they next verify an address)."""

    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    readonly_fields = ["email", "reason", "detail", "provider_event_id", "created_at"]

    def has_add_permission(self, request):
        return False
