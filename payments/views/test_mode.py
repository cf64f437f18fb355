"""The local checkout page of the test-mode gateway. No card is ever charged here.

Pay/Cancel/Fail change the local session, then call the very services the Stripe webhook
calls (checkout_fulfil / checkout_mark_failed), so test mode exercises the real settlement.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..gateways.test_mode import test_mode_enabled
from ..models import TestModeCheckoutSession

SessionStatus = TestModeCheckoutSession.SessionStatus


@login_required
@require_http_methods(["GET", "POST"])
def test_checkout(request, session_id: str):
    if not test_mode_enabled():
        raise Http404
    session = selectors.test_mode_session_for_user_or_404(user=request.user, session_id=session_id)
    payment = session.payment
    if request.method == "GET" or session.status != SessionStatus.OPEN:
        return render(request, "payments/test_checkout.html", {"session": session, "payment": payment})

    action = request.POST.get("action")
    source = "test-mode checkout"
    if action == "pay":
        session.status, session.payment_status = SessionStatus.COMPLETE, "paid"
        session.save(update_fields=["status", "payment_status"])
        services.checkout_fulfil(session_id=session_id, source=source, actor=request.user)
        return redirect(session.success_url.replace("{CHECKOUT_SESSION_ID}", session_id))
    if action == "fail":
        # Like a delayed payment method that fails: the session completes unpaid.
        session.status = SessionStatus.COMPLETE
        session.save(update_fields=["status"])
        services.checkout_fulfil(session_id=session_id, source=source, actor=request.user)
        services.checkout_mark_failed(session_id=session_id, source=source, actor=request.user, note="test-mode fail")
        return redirect(session.success_url.replace("{CHECKOUT_SESSION_ID}", session_id))
    if action == "cancel":
        session.status = SessionStatus.EXPIRED
        session.save(update_fields=["status"])
        services.checkout_fulfil(session_id=session_id, source=source, actor=request.user)
        return redirect(session.cancel_url)
    return render(
        request,
        "payments/test_checkout.html",
        {"session": session, "payment": payment, "error": "Choose Pay, Cancel or Fail."},
        status=400,
    )
