"""Who may touch money in the admin.

Superusers may do everything. Other staff need `site_admin.manage_money` (the "Finance" role)
to refund, adjust balances or earnings, or change commission; the "Support" group answers
inquiries and moderates reviews but has no money permission, so those actions are neither
listed nor accepted on a direct POST (Django checks action permissions on submit too).
"""

MANAGE_MONEY = "site_admin.manage_money"


class MoneyActionsMixin:
    """Add to a ModelAdmin; mark money actions with @admin.action(permissions=["manage_money"])."""

    def has_manage_money_permission(self, request):
        return request.user.is_active and request.user.has_perm(MANAGE_MONEY)
