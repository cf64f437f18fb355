from django import forms
from django.contrib import admin

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

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if form.cleaned_data.get("reply", "").strip():
            message.append({"changed": {"fields": ["reply (emailed to the user)"]}})
        return message

    @admin.action(description="Close selected inquiries")
    def mark_closed(self, request, queryset):
        for inquiry in queryset:
            support.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.CLOSED)
        self.message_user(request, f"Closed {queryset.count()} inquiries.")
