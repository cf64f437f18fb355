"""Before the first AI run with OpenAI the user is told their text goes there and agrees once."""

import pytest
from django.urls import reverse

from ai_tools.models import AIConsent, AIRun
from ai_tools.services import ConsentRequired, ai_consent_needed, statement_enhance_start
from ai_tools.tests.factories import funded_user

pytestmark = pytest.mark.django_db

DRAFT = "I led the payments team at Monzo from 2019 to 2024. " * 5


def test_no_consent_needed_with_the_local_engine(settings):
    settings.OPENAI_API_KEY = ""
    user = funded_user(points=50)
    assert not ai_consent_needed(user=user)


def test_openai_runs_wait_for_consent_and_it_is_recorded_once(settings, client, django_capture_on_commit_callbacks):
    settings.OPENAI_API_KEY = "sk-test"
    user = funded_user(points=50)
    with pytest.raises(ConsentRequired):
        statement_enhance_start(user=user, draft=DRAFT)
    assert not AIRun.objects.filter(user=user).exists()  # nothing charged, nothing sent

    client.force_login(user)
    response = client.post(reverse("ai_tools:statement_enhance"), {"draft": DRAFT})
    assert response.status_code == 302 and response["Location"].startswith(reverse("ai_tools:ai_consent"))
    page = client.get(response["Location"])
    assert "OpenAI" in page.content.decode() and "store=false" in page.content.decode()
    assert "ai-consent-notice" in client.get(reverse("ai_tools:index")).content.decode()

    back = reverse("ai_tools:statement_enhance")
    agreed = client.post(reverse("ai_tools:ai_consent"), {"agree": "yes", "next": back})
    assert agreed.status_code == 302 and agreed["Location"] == back
    first = AIConsent.objects.get(user=user).given_at
    client.post(reverse("ai_tools:ai_consent"), {"agree": "yes", "next": "https://evil.example/"})
    assert AIConsent.objects.get(user=user).given_at == first  # once
    assert not ai_consent_needed(user=user)
    assert "ai-consent-notice" not in client.get(reverse("ai_tools:index")).content.decode()


def test_consent_next_never_leaves_the_site(settings, client):
    settings.OPENAI_API_KEY = "sk-test"
    client.force_login(funded_user())
    response = client.post(reverse("ai_tools:ai_consent"), {"agree": "yes", "next": "https://evil.example/"})
    assert response["Location"] == reverse("ai_tools:index")
