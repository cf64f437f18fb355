from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import fulfilment, selectors, services
from ..gateways import GatewayError
from ..models import Payment


@login_required
@require_GET
def checkout_success(request):
    session_id = request.GET.get("session_id", "")
    if not session_id or len(session_id) > 255 or not session_id.isprintable():
        raise Http404  # not an id any gateway issues (a NUL would be a DataError on PostgreSQL)
    payment = selectors.payment_by_session_for_user_or_404(user=request.user, session_id=session_id)
    if payment.status in (Payment.Status.CREATED, Payment.Status.PENDING):
        # The user may be back before the webhook: settle now through the same service.
        # A gateway hiccup is not an error for the user; the webhook will settle it.
        try:
            payment = services.checkout_fulfil(session_id=session_id, source="success page", actor=request.user)
        except GatewayError:
            pass
    return render(
        request, "payments/checkout_result.html", {"payment": payment, "back": fulfilment.return_link(payment)}
    )


@login_required
@require_GET
def checkout_cancel(request, payment_id: int):
    payment = selectors.payment_for_user_or_404(user=request.user, payment_id=payment_id)
    return render(
        request, "payments/checkout_cancel.html", {"payment": payment, "back": fulfilment.return_link(payment)}
    )


@login_required
@require_GET
def payment_history(request):
    page = Paginator(selectors.payments_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "payments/history.html", {"page": page, "payments": page.object_list})
