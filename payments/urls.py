from django.urls import path

from .views import checkout, points, test_mode, webhooks

app_name = "payments"
urlpatterns = [
    path("points/", points.buy_points, name="buy_points"),
    path("checkout/success/", checkout.checkout_success, name="checkout_success"),
    path("checkout/<int:payment_id>/cancelled/", checkout.checkout_cancel, name="checkout_cancel"),
    path("history/", checkout.payment_history, name="history"),
    path("test-checkout/<str:session_id>/", test_mode.test_checkout, name="test_checkout"),
    path("stripe-webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("stripe-connect-webhook/", webhooks.stripe_connect_webhook, name="stripe_connect_webhook"),
]
