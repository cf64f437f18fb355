"""Hostile input on every URL: no query parameter or form value may produce a 500.

The sweep walks the real URL configuration (a new URL is swept without anyone adding it) and
sends every parameter name the code reads — found in the source (request.GET/POST lookups and
form fields), so a new parameter is fuzzed too — with out-of-range dates (year 1 and year 9999,
for a client in Tokyo so local times overflow), NUL characters, huge and non-numeric values.
Each URL is asked by the user it is meant for (its owner's ids in the path) and anonymously.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User

from .test_idor_sweep import world  # noqa: F401 - the same objects as the ownership sweep

pytestmark = pytest.mark.django_db

HOSTILE = [
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01",
    "9999-12-31",
    "\x00",
    "1\x00",
    "9" * 400,
    "-1",
    "1e999",
    "NaN",
]
NOT_SWEPT = {
    "payments:stripe_webhook": "signed bodies only (payments tests send malformed signed bodies)",
    "payments:stripe_connect_webhook": "signed bodies only",
    "account_logout": "would end the session mid-sweep; it reads no parameters",
}
_APPS = ["accounts", "ai_tools", "bookings", "consultations", "expert_marketplace", "payments", "referrals"]
_APPS += ["site_admin", "privacy", "core", "talentvisa"]


def _parameter_names() -> list[str]:
    """Every name the project's code reads from a query string or form (and allauth's usual ones)."""
    names = {"page", "next", "q", "code", "email", "password", "login", "key", "session_id", "start", "date"}
    lookups = re.compile(r"""(?:GET|POST|QueryDict|params)(?:\.get|\.getlist)?[\[(]\s*["'](\w+)["']""")
    fields = re.compile(r"^\s+(\w+)\s*=\s*(?:forms\.\w+|\w+Field)\(", re.M)
    for app in _APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text()
            names.update(lookups.findall(text))
            if path.name.startswith("forms") or "forms" in path.parts:
                names.update(fields.findall(text))
    return sorted(names)


def _routes():
    def walk(resolver, prefix="", ns=None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), (f"{ns}:" if ns else "") + (p.name or ""), p

    for route, name, pattern in walk(get_resolver()):
        if not route.startswith("admin/") and name not in NOT_SWEPT:
            yield route, name, pattern


def _path(name, pattern, ids, extra):
    params = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    values = {**ids, **extra}
    return reverse(name, kwargs={p: values[p][0] for p in params}) if params else reverse(name)


def _payloads(names, baseline, values):
    """len(values) payloads in which every name takes every value once (rotated), over the baseline,
    plus three with the baseline names hostile too."""
    for i in range(len(values)):
        yield values[i], {**{name: values[(i + j) % len(values)] for j, name in enumerate(names)}, **baseline}
    for value in (values[0], values[1], "\x00"):
        yield value, dict.fromkeys(names, value)


def _feed_token(expert) -> str:
    from expert_marketplace.services import expert_calendar_feed_token_regenerate

    return expert_calendar_feed_token_regenerate(expert=expert)


def _is_expert_route(route: str) -> bool:
    return route.startswith(("expert/", "consultations/expert/", "bookings/expert/"))


def test_no_query_parameter_or_form_value_gives_a_500(world):  # noqa: F811
    ids, _ = world
    client = Client(raise_request_exception=False)  # collect every failure, not only the first
    from bookings.models import Booking
    from expert_marketplace.models import ExpertProfile

    booking = Booking.objects.get(pk=ids["booking_id"][0])
    owner = booking.client
    User.objects.filter(pk=owner.pk).update(timezone="Asia/Tokyo")  # year 9999 overflows a +09:00 clock
    expert_user = ExpertProfile.objects.get(pk=booking.session_type.expert_id).user
    staff = User.objects.create_superuser(email="fuzz-staff@example.com", password="pw-Secret-123")
    extra = {
        "code": ["ABCDEFG"],
        "slug": [booking.session_type.expert.slug],
        "session_id": ["cs_test_none"],
        "key": ["MQ:1tBad:signature"],
        "uidb36": ["1"],
        "path": ["uploads/none.png"],
        "token": [_feed_token(booking.session_type.expert)],
        "kind": ["bookings.booking_confirmed.client"],
    }
    names = _parameter_names()
    assert {"start", "session", "date", "session_id", "page", "area", "minutes"} <= set(names)
    # Valid values for the parameters that select what a page is about, so the hostile value in
    # the others reaches the code that reads it (e.g. ?session=<real>&start=<year 1>).
    baseline = {"session": str(booking.session_type_id), "minutes": "60", "expert": str(booking.session_type.expert_id)}

    swept, failures = 0, set()
    for route, name, pattern in _routes():
        path = _path(name, pattern, ids, extra)
        user = staff if route.startswith("staff/") else expert_user if _is_expert_route(route) else owner
        for who in (user, None):
            payloads = (
                _payloads(names, baseline, HOSTILE) if who else [(v, dict.fromkeys(names, v)) for v in HOSTILE[:2]]
            )
            for value, payload in payloads:
                for method in ("get", "post"):
                    if who is not None:
                        client.force_login(who)
                    else:
                        client.logout()
                    response = getattr(client, method)(path, payload)
                    if response.status_code >= 500:
                        failures.add(f"{method.upper()} {name} {repr(value)[:30]} {'user' if who else 'anonymous'}")
                    swept += 1
    assert not failures, "500 for:\n" + "\n".join(sorted(failures))
    assert swept > 2500
