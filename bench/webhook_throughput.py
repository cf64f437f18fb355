"""How many signed checkout.session.completed webhooks per second the app settles.

Not a test. Needs PostgreSQL (the production database); creates and drops its own database
`tv_bench` through Django's test-database machinery, so it never touches real data:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tv_payments python bench/webhook_throughput.py [-n 200] [--runs 5] [--threads 1]

Each event is distinct (its own payment and Checkout Session) and goes through the whole
path: signature check, WebhookEvent insert, row locks, session retrieve from the Stripe SDK
(answered by the in-process fake, so no network time is included), status move, ledger
credit. Payloads are signed before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

WEBHOOK_SECRET = "whsec_bench"


def _prepare_events(n: int, fake, run: int) -> list[tuple[str, str]]:
    from accounts.tests.factories import UserFactory
    from payments.models import PointsPackage
    from payments.purposes.points import points_purchase_create
    from payments.services import checkout_start
    from payments.tests.fake_stripe import make_event, signed_headers

    package, _ = PointsPackage.objects.get_or_create(points=50, price_pence=500, defaults={"name": "Starter"})
    users = [UserFactory(email=f"bench{run}-{i}@example.com") for i in range(max(1, n // 10))]
    prepared = []
    for i in range(n):
        payment = points_purchase_create(user=users[i % len(users)], package=package)
        session = checkout_start(payment=payment, success_url="http://testserver/s", cancel_url="http://testserver/c")
        payload = json.dumps(make_event("checkout.session.completed", fake.pay(session.id)))
        prepared.append((payload, signed_headers(payload, WEBHOOK_SECRET)["HTTP_STRIPE_SIGNATURE"]))
    return prepared


def _send(prepared: list[tuple[str, str]], threads: int) -> float:
    def post(item):
        payload, signature = item
        status = (
            Client()
            .post(
                "/payments/stripe-webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            )
            .status_code
        )
        if status != 200:
            raise RuntimeError(f"webhook answered {status}")

    def sender(chunk):
        try:
            for item in chunk:
                post(item)
        finally:
            connection.close()  # each thread has its own connection; the database is dropped later

    started = time.perf_counter()
    if threads == 1:
        for item in prepared:
            post(item)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(sender, [prepared[i::threads] for i in range(threads)]))
    return len(prepared) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="webhooks per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="concurrent senders")
    args = parser.parse_args()

    # The SDK logs every request at INFO; printing 1,000s of lines would dominate the timing.
    logging.getLogger("stripe").setLevel(logging.WARNING)
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures the production database.")

    from accounts.models import Wallet
    from payments.tests import fake_stripe

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "tv_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    fake = fake_stripe.FakeStripe()
    fake_stripe.install(fake)
    try:
        with override_settings(
            STRIPE_SECRET_KEY="sk_test_bench",
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            STRIPE_API_BASE="",
            PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY="payments.tests.fake_stripe.current_client",
        ):
            rates = []
            for run in range(args.runs):
                prepared = _prepare_events(args.n, fake, run)
                rate = _send(prepared, args.threads)
                rates.append(rate)
                print(f"run {run + 1}: {rate:7.1f} events/s")
            credited = sum(Wallet.objects.values_list("points_balance", flat=True))
            assert credited == 50 * args.n * args.runs, (
                f"credited {credited} points, expected {50 * args.n * args.runs}"
            )
            print(
                f"median {statistics.median(rates):.1f} events/s "
                f"({args.n} distinct signed checkout.session.completed per run, {args.runs} runs, "
                f"{args.threads} sender thread(s), PostgreSQL {connection.pg_version // 10000}, "
                f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')})"
            )
    finally:
        fake_stripe.install(None)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
