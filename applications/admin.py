"""Staff views of application packs (read-only: the files and rules belong to the applicant)."""

from django.contrib import admin

from core.permissions import ReadOnlyAdminMixin

from .models import Application, EvidenceDocument, PlanShare, RecommendationLetter


class EvidenceInline(admin.TabularInline):
    model = EvidenceDocument
    extra = 0
    fields = ("position", "title", "criterion", "evidence_date", "kind", "page_count", "pages_estimated")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class LetterInline(admin.TabularInline):
    model = RecommendationLetter
    extra = 0
    fields = ("position", "name", "organisation", "relationship", "months_known")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "owner", "category", "first_optional", "second_optional", "updated_at")
    list_filter = ("category",)
    search_fields = ("owner__email",)
    list_select_related = ("owner",)
    inlines = [EvidenceInline, LetterInline]


@admin.register(PlanShare)
class PlanShareAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "application", "booking", "created_at")
    list_select_related = ("application", "booking")


from .refusals import admin as refusal_admin  # noqa: E402, F401 - registers the refusal review's admin
