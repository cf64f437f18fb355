"""Who may touch money in the admin.

Superusers may do everything. Other staff need `core.manage_money` (the "Finance" role)
to refund, adjust balances or earnings, or change commission; the "Support" group answers
inquiries and moderates reviews but has no money permission, so those actions are neither
listed nor accepted on a direct POST (Django checks action permissions on submit too).
"""

MANAGE_MONEY = "core.manage_money"


class MoneyActionsMixin:
    """Add to a ModelAdmin; mark money actions with @admin.action(permissions=["manage_money"])."""

    def has_manage_money_permission(self, request):
        return request.user.is_active and request.user.has_perm(MANAGE_MONEY)


class ReadOnlyAdminMixin:
    """Editing these rows by hand would break the books; they change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoAddNoDeleteAdminMixin:
    """Rows that only the services create, and that money or history hang off: staff may look,
    edit what the form allows and run the actions, but not add or delete them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
