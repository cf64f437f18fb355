import re
from datetime import date

from ai_tools import rules
from ai_tools.providers import LocalProvider, get_provider


def test_rules_are_dated_and_every_keyword_compiles():
    assert isinstance(rules.RULES_REVIEWED_ON, date)
    lists = [*rules.SIGNALS.values(), rules.ACHIEVEMENT_VERBS, rules.ROLE_TITLE_WORDS, rules.UNSUPPORTED_CLAIM_WORDS]
    for terms in lists:
        for term in terms:
            re.compile(term)
            assert term not in {"the", "a", "of", "new", "system"}, term  # a split multi-word term
    assert "not acceptable to Tech Nation" in rules.AI_CONTENT_WARNING
    assert rules.CV_MAX_PAGES == 3 and rules.STATEMENT_MAX_WORDS == 1000


def test_local_provider_without_an_api_key(settings):
    settings.OPENAI_API_KEY = ""
    assert isinstance(get_provider(), LocalProvider)


def test_openai_provider_with_an_api_key(settings):
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = "gpt-4.1-mini"
    settings.OPENAI_TIMEOUT_SECONDS = 12
    settings.OPENAI_MAX_RETRIES = 1
    provider = get_provider()
    assert provider.name == "openai" and provider.model == "gpt-4.1-mini"
    client = provider._client_factory()
    assert client.timeout == 12 and client.max_retries == 1
