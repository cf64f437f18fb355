"""Recommendation letters: per-letter checks, templating across letters (labelled corpus), speed, charging."""

import time
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Wallet
from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun
from ai_tools.providers.base import ProviderError
from ai_tools.tests.factories import funded_user
from applications import rules, services
from applications.ai import LetterInput
from applications.ai.local import check_letter_set, letter_dates, templating_pairs

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "corpus" / "letters"
TODAY = date(2026, 11, 20)


def trio(name: str) -> list[str]:
    return [(CORPUS / name / f"{x}.txt").read_text() for x in "abc"]


def letter(position=1, *, text, relationship="peer", organisation=None, months=36, email="a@b.example", phone="0123"):
    return LetterInput(
        position=position,
        name=f"Writer {position}",
        role="CTO",
        organisation=organisation or f"Org {position}",
        relationship=relationship,
        months_known=months,
        email=email,
        phone=phone,
        text=text,
    )


@pytest.mark.parametrize("name", ["t07_light", "t10_heavy", "t13_ai_one_prompt"])
def test_templated_trios_are_flagged_with_shared_passages(name):
    pairs = templating_pairs(trio(name))
    flagged = [p for p in pairs if p.templated]
    assert flagged
    shared = "".join(s.text for s in flagged[0].segments_first if s.shared)
    assert len(shared.split()) >= 8
    assert flagged[0].passages[0] in " ".join(trio(name)[flagged[0].first - 1].split())
    # Segments put back together are the letter, so the page shows the whole letter with marks.
    assert "".join(s.text for s in flagged[0].segments_first) == trio(name)[flagged[0].first - 1]


@pytest.mark.parametrize("name", ["t01_independent", "t03_independent", "t14_ai_separate"])
def test_independent_trios_are_not_flagged(name):
    assert not any(p.templated for p in templating_pairs(trio(name)))


def test_three_600_word_letters_take_under_50_ms():
    pool = " ".join(
        text for name in sorted(p.name for p in CORPUS.glob("t0*_independent")) for text in trio(name)
    ).split()
    letters = [" ".join(pool[i * 600 : (i + 1) * 600]) for i in range(3)]
    assert all(len(t.split()) == 600 for t in letters)
    templating_pairs(letters)  # warm-up
    best = min(_timed(lambda: templating_pairs(letters)) for _ in range(5))
    assert best < 0.050, f"{best * 1000:.1f} ms"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_a_good_independent_set_passes_every_check():
    letters = [letter(i + 1, text=t) for i, t in enumerate(trio("t01_independent"))]
    report = check_letter_set(letters, today=TODAY)
    failed = [(lr.position, f.code) for lr in report.letters for f in lr.findings if not f.passed]
    assert failed == []
    assert all(f.passed for f in report.set_findings)
    assert not report.templated


def test_each_letter_check_fails_for_its_reason():
    text = trio("t01_independent")[0]
    checks = {
        "months_known": letter(text=text, months=11),
        "contacts": letter(text=text, phone=""),
        "dated": letter(text=text.replace("14 October 2026", "14 October 2025")),
        "length": letter(text=" ".join(text.split()[:120]) + "\n14 October 2026"),
    }
    for code, bad in checks.items():
        report = check_letter_set([bad], today=TODAY)
        assert [f.code for f in report.letters[0].failed] == [code], code
    assert check_letter_set([letter(text=text, months=12)], today=TODAY).letters[0].failed == []


def test_generic_letter_lacks_specific_work_and_is_not_addressed():
    generic = (
        "It is my pleasure to support Sam. I have worked with Sam for three years. Sam is a hard-working team player "
        "with a passion for technology. " * 12
    ) + "\n1 March 2026"
    report = check_letter_set([letter(text=generic)], today=TODAY)
    codes = {f.code for f in report.letters[0].failed}
    assert {"specific_work", "addressed"} <= codes


@pytest.mark.parametrize("name", ["t13_ai_one_prompt", "t14_ai_separate"])
def test_ai_written_letters_fail_the_phrasing_check_with_the_phrases_quoted(name):
    report = check_letter_set([letter(i + 1, text=t) for i, t in enumerate(trio(name))], today=TODAY)
    for letter_report in report.letters:
        finding = next(f for f in letter_report.findings if f.code == "ai_phrasing")
        assert not finding.passed
        assert finding.quotes and all(
            q.lower() in trio(name)[letter_report.position - 1].lower() for q in finding.quotes
        )


def test_set_rules_line_managers_one_organisation_and_count():
    texts = trio("t01_independent")
    managers = [letter(i + 1, text=t, relationship="line_manager") for i, t in enumerate(texts)]
    one_org = [letter(i + 1, text=t, organisation="Quillpay Ltd" if i else "QuillPay") for i, t in enumerate(texts)]
    failed = lambda letters: {f.code for f in check_letter_set(letters, today=TODAY).set_findings if not f.passed}  # noqa: E731
    assert failed(managers) == {"not_all_line_managers"}
    assert failed(one_org) == {"not_one_organisation"}
    assert failed(managers[:2]) == {"count", "not_all_line_managers"}


def test_letter_dates_read_british_american_and_iso_forms():
    assert letter_dates("Dated 3rd November 2026, or Nov 4, 2026 and 2026-11-05; 06/11/2026") == [
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 5),
        date(2026, 11, 6),
    ]


# --- as a paid run -----------------------------------------------------------------------------


@pytest.fixture
def letters_app():
    user = funded_user(points=30, free_uses=0, full_name="Priya Raman")
    application = services.application_ensure(user=user)
    for i, text in enumerate(trio("t10_heavy"), start=1):
        services.letter_save(
            application=application,
            position=i,
            text=text,
            name=f"Writer {i}",
            role="CTO",
            organisation=f"Org {i}",
            relationship="peer",
            months_known=24,
            email="w@example.org",
            phone="0123",
        )
    return application


@pytest.mark.django_db
def test_a_run_is_charged_the_site_price_and_flags_templating(
    client, letters_app, site_config, django_capture_on_commit_callbacks
):
    site_config(price_letters_check=7)
    user = letters_app.owner
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:letters_check_start"))
    run = AIRun.objects.get(user=user, tool=AIRun.Tool.LETTERS_CHECK)
    assert response.url == reverse("applications:letters_check", args=[run.pk])
    run.refresh_from_db()
    assert run.status == AIRun.Status.SUCCEEDED
    assert (run.paid_with, run.points_charged) == ("points", 7)
    assert Wallet.objects.get(user=user).points_balance == 23
    assert run.headline == "Templating is evident"
    page = client.get(response.url)
    html = page.content.decode()
    assert "Templating is evident" in html
    assert html.count('data-templated="true"') == 3
    assert "<mark" in html
    # The run list of the AI tools sends this run to its own page.
    assert client.get(reverse("ai_tools:run_detail", args=[run.pk])).url == response.url


@pytest.mark.django_db
def test_free_use_is_spent_first(letters_app, django_capture_on_commit_callbacks):
    from accounts.models import LedgerEntry
    from accounts.services import free_uses_grant

    user = letters_app.owner
    free_uses_grant(user=user, amount=1, reason=LedgerEntry.Reason.ADJUSTMENT)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.letters_check_start(user=user, application=letters_app)
    run.refresh_from_db()
    assert run.paid_with == "free_use"
    wallet = Wallet.objects.get(user=user)
    assert (wallet.points_balance, wallet.free_ai_uses) == (30, 0)


@pytest.mark.django_db
def test_a_failed_run_is_refunded_once(letters_app, monkeypatch, django_capture_on_commit_callbacks):
    from applications import letters_tool

    def broken(run):
        raise ProviderError("The AI service is not available right now.")

    monkeypatch.setattr(letters_tool, "execute", broken)
    letters_tool.register()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.letters_check_start(user=letters_app.owner, application=letters_app)
    finally:
        monkeypatch.undo()
        letters_tool.register()
    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.refunded
    assert Wallet.objects.get(user=letters_app.owner).points_balance == 30


@pytest.mark.django_db
def test_not_enough_points_charges_nothing(client):
    user = UserFactory()
    application = services.application_ensure(user=user)
    services.letter_save(
        application=application,
        position=1,
        text="x " * 200,
        name="A",
        role="B",
        organisation="C",
        relationship="peer",
        months_known=20,
    )
    client.force_login(user)
    response = client.post(reverse("applications:letters_check_start"))
    assert response.status_code == 200
    assert b'data-testid="not-enough"' in response.content
    assert not AIRun.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_another_users_letters_check_is_404(client, letters_app, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.letters_check_start(user=letters_app.owner, application=letters_app)
    client.force_login(UserFactory())
    assert client.get(reverse("applications:letters_check", args=[run.pk])).status_code == 404
    assert client.post(reverse("applications:letter_delete", args=[1])).status_code == 404
    # Their letter slot 1 is their own (empty) one, never the owner's letter.
    assert b"Writer 1" not in client.get(reverse("applications:letter_edit", args=[1])).content


def test_threshold_sits_between_the_labelled_groups():
    assert 0 < rules.LETTERS_TEMPLATING_THRESHOLD < 0.40


@pytest.mark.django_db
def test_the_status_poll_swaps_nothing_while_running_then_stops_with_a_link(client, letters_app):
    run = services.letters_check_start(user=letters_app.owner, application=letters_app)  # queued: no on_commit run
    client.force_login(letters_app.owner)
    url = reverse("applications:letters_check", args=[run.pk])
    page = client.get(url)
    assert b"Checking your letters" in page.content and b'hx-trigger="every 2s"' in page.content
    assert b'id="poll-status"' in page.content
    running = client.get(url, headers={"HX-Request": "true"})
    assert running.status_code == 204 and running.content == b""  # no full page rendered every 2 s
    AIRun.objects.filter(pk=run.pk).update(status=AIRun.Status.SUCCEEDED)
    done = client.get(url, headers={"HX-Request": "true"})
    body = done.content.decode()
    # 286: htmx stops polling; the card becomes a link to the result and the end is announced.
    assert done.status_code == 286 and "HX-Refresh" not in done.headers
    assert '<div id="poll-status" hx-swap-oob="true"' in body and f'href="{url}"' in body
    assert (
        '<div id="announcer" hx-swap-oob="innerHTML">Recommendation letters check: your result is ready.</div>' in body
    )
