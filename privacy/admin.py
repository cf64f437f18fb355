from django.contrib import admin

from core.permissions import ReadOnlyAdminMixin

from .models import RetentionNotice


@admin.register(RetentionNotice)
class RetentionNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The retention e-mails sent and the purges done (written by the beat task only)."""

    list_display = ["user", "last_activity_at", "sent_at", "purge_after", "purged_at"]
    list_filter = ["purged_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "sent_at"
