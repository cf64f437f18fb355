"""Staff views of refusal cases (read-only): the deadline, the reminders sent and the shares."""

from django.contrib import admin

from core.permissions import ReadOnlyAdminMixin

from .models import RefusalCase, RefusalReminder, RefusalShare


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ReminderInline(_ReadOnlyInline):
    model = RefusalReminder
    fields = ("days_before", "sent_at")


class ShareInline(_ReadOnlyInline):
    model = RefusalShare
    fields = ("booking", "created_at")


@admin.register(RefusalCase)
class RefusalCaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "owner", "decision_date", "run", "handoff_at", "created_at")
    list_filter = ("decision_date",)
    search_fields = ("owner__email",)
    list_select_related = ("owner", "run")
    exclude = ("storage_name",)
    inlines = [ReminderInline, ShareInline]
