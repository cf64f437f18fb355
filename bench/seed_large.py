"""Seed the load-benchmark database: 10k clients, 200 experts, 100k bookings, 50k AI runs.

Run through bench/run.py (which points DATABASE_URL at a dedicated database); `--scale 0.01`
builds the small data set used to show that query counts do not depend on data size.
Fixed random seed; bulk inserts; VACUUM ANALYZE at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")

DEMO_CLIENT = "bench-client@example.com"
STAFF = "bench-staff@example.com"
PASSWORD = "bench-password-1"
WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def seed(scale: float) -> None:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User, Wallet
    from ai_tools.models import AIRun
    from bookings.models import Booking
    from expert_marketplace.models import ExpertiseArea, ExpertProfile, SessionType

    rng = random.Random(2026)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    n_clients, n_experts = max(10, int(10_000 * scale)), max(5, int(200 * scale))
    n_bookings, n_runs = max(50, int(100_000 * scale)), max(30, int(50_000 * scale))
    password = make_password(PASSWORD)

    with transaction.atomic():
        clients = User.objects.bulk_create(
            [
                User(email=f"client{i}@bench.example", full_name=f"Client {i}", password=password)
                for i in range(n_clients)
            ],
            batch_size=2000,
        )
        demo = User.objects.create(email=DEMO_CLIENT, full_name="Bench Client", password=password)
        staff = User.objects.create(
            email=STAFF, full_name="Bench Staff", password=password, is_staff=True, is_superuser=True, role="staff"
        )
        everyone = [*clients, demo, staff]
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in everyone], batch_size=2000
        )
        Wallet.objects.bulk_create(
            [Wallet(user=u, points_balance=rng.randint(0, 200)) for u in everyone], batch_size=2000
        )

        expert_users = User.objects.bulk_create(
            [
                User(email=f"expert{i}@bench.example", full_name=f"Expert {i}", role="expert", password=password)
                for i in range(n_experts)
            ]
        )
        experts = ExpertProfile.objects.bulk_create(
            [
                ExpertProfile(
                    user=u,
                    display_name=f"Expert {i}",
                    slug=f"bench-expert-{i}",
                    headline="Former endorsement assessor",
                    bio="I help applicants present their evidence clearly. " * 5,
                    status=ExpertProfile.Status.APPROVED,
                    is_active=True,
                    timezone="Europe/London",
                    weekly_schedule=WEEKDAYS,
                    buffer_minutes=15,
                    min_notice_hours=24,
                    horizon_days=60,
                    years_experience=rng.randint(2, 20),
                )
                for i, u in enumerate(expert_users)
            ]
        )
        area = ExpertiseArea.objects.order_by("pk").first()
        if area:
            ExpertProfile.expertise_areas.through.objects.bulk_create(
                [ExpertProfile.expertise_areas.through(expertprofile=e, expertisearea=area) for e in experts]
            )
        sessions = SessionType.objects.bulk_create(
            [
                SessionType(
                    expert=e, name="Strategy session", duration_minutes=60, price_pence=rng.choice([6000, 9000, 12000])
                )
                for e in experts
            ]
        )

        # Each expert's bookings are >= 8 h apart across the ±3 months (at any scale), so none overlap.
        per_expert = n_bookings // len(experts)
        step_hours = max(8, 180 * 24 // per_expert)
        start0 = now - dt.timedelta(days=90)
        # The demo client's ~50 bookings are spread over the whole ±3 months (past and upcoming).
        demo_rows = set(rng.sample(range(per_expert * len(experts)), min(50, per_expert * len(experts))))
        rows = []
        for e_index, (expert, session) in enumerate(zip(experts, sessions, strict=True)):
            for j in range(per_expert):
                start = start0 + dt.timedelta(hours=step_hours * j + (e_index % 8))
                past = start < now
                status = (
                    rng.choice([Booking.Status.COMPLETED] * 8 + [Booking.Status.CANCELLED_BY_CLIENT])
                    if past
                    else Booking.Status.CONFIRMED
                )
                client = demo if len(rows) in demo_rows else rng.choice(clients)
                rows.append(
                    Booking(
                        reference=f"TV-B{len(rows):07d}",  # unique by construction at 100k rows
                        client=client,
                        expert=expert,
                        session_type=session,
                        status=status,
                        start_at=start,
                        end_at=start + dt.timedelta(minutes=60),
                        price_pence=session.price_pence,
                        commission_bps=2000,
                        meeting_url="https://meet.jit.si/TalentVisa-bench",
                        created_at=start - dt.timedelta(days=rng.randint(1, 20)),
                        confirmed_at=start - dt.timedelta(days=1),
                    )
                )
        Booking.objects.bulk_create(rows, batch_size=5000)

        tools = [AIRun.Tool.CV_ANALYSIS, AIRun.Tool.STATEMENT_GENERATE, AIRun.Tool.STATEMENT_ENHANCE]
        runs = [
            AIRun(
                user=demo if i % max(1, n_runs // 30) == 0 else rng.choice(clients),
                tool=rng.choice(tools),
                status=rng.choice([AIRun.Status.SUCCEEDED] * 9 + [AIRun.Status.FAILED]),
                headline=f"Readiness {rng.randint(20, 95)}/100",
                paid_with="points",
                points_charged=10,
                created_at=now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 90)),
            )
            for i in range(n_runs)
        ]
        AIRun.objects.bulk_create(runs, batch_size=5000)

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded: {n_clients} clients, {len(experts)} experts, {len(rows)} bookings, {n_runs} AI runs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    seed(parser.parse_args().scale)
