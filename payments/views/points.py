from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..gateways import GatewayError, GatewayUnavailable, default_gateway_name
from ..gateways.test_mode import test_mode_enabled
from ..models import PointsPackage
from ..purposes.points import points_purchase_create


def _payments_available() -> bool:
    return default_gateway_name() == "stripe" or test_mode_enabled()


@login_required
@require_http_methods(["GET", "POST"])
def buy_points(request):
    if request.method == "POST":
        if not _payments_available():
            messages.error(request, "Buying points is not available right now. Nothing was charged.")
            return redirect("payments:buy_points")
        package = get_object_or_404(PointsPackage, pk=request.POST.get("package"), active=True)
        payment = points_purchase_create(user=request.user, package=package)
        # {CHECKOUT_SESSION_ID} is filled in by Stripe (and by the test-mode page) on redirect.
        success_url = (
            request.build_absolute_uri(reverse("payments:checkout_success")) + "?session_id={CHECKOUT_SESSION_ID}"
        )
        cancel_url = request.build_absolute_uri(reverse("payments:checkout_cancel", args=[payment.pk]))
        try:
            session = services.checkout_start(payment=payment, success_url=success_url, cancel_url=cancel_url)
        except (GatewayError, GatewayUnavailable):
            messages.error(request, "We couldn't start the payment. Nothing was charged; please try again.")
            return redirect("payments:buy_points")
        return redirect(session.url)
    return render(
        request,
        "payments/buy_points.html",
        {
            "packages": list(selectors.points_packages_on_sale()),
            "payments_available": _payments_available(),
            "is_test_mode": default_gateway_name() == "test_mode",
        },
    )
