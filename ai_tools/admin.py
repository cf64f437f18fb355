"""Staff views of documents and AI runs. Charges, refunds and results are read-only: they are the books."""

from django.contrib import admin

from core import fragments
from core.permissions import NoAddNoDeleteAdminMixin, ReadOnlyAdminMixin

from .models import AIConsent, AIRun, AIRunEvent, Document


@admin.register(Document)
class DocumentAdmin(fragments.BumpingAdminMixin, admin.ModelAdmin):
    list_display = ("id", "original_filename", "owner", "kind", "page_count", "size_bytes", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("owner__email", "original_filename", "sha256")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False  # documents come only through the validated upload service

    def fragment_scopes(self, document):
        return [fragments.user_scope(document.owner_id)]  # the owner's file list and the runs that used it


class AIRunEventInline(admin.TabularInline):
    model = AIRunEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "note", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AIRun)
class AIRunAdmin(NoAddNoDeleteAdminMixin, admin.ModelAdmin):
    # Runs are created (and charged) only by the services; a run is linked to ledger entries, so
    # deleting one would hide a charge.
    list_display = ("id", "tool", "status", "user", "paid_with", "points_charged", "refunded", "engine", "created_at")
    list_filter = ("tool", "status", "paid_with", "refunded", "created_at")
    search_fields = ("user__email", "=id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    inlines = [AIRunEventInline]
    readonly_fields = [f.name for f in AIRun._meta.fields]
    raw_id_fields = ("user", "document", "based_on")


@admin.register(AIConsent)
class AIConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who agreed, and when, that their text goes to OpenAI (evidence of the consent; never edited)."""

    list_display = ["user", "provider", "given_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
