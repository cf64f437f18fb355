from datetime import date

import pytest

from ai_tools.providers.local import LocalProvider

from .builders import cv_text

# Every analysis in the tests runs "on" this day, so evidence ages never drift.
TODAY = date(2026, 6, 1)


@pytest.fixture
def local():
    return LocalProvider(today=TODAY)


@pytest.fixture(scope="session")
def analyses():
    """The four fixture CVs analysed once per session (the engine is deterministic)."""
    provider = LocalProvider(today=TODAY)
    pages = {"strong_talent": 2, "early_promise": 1, "consultancy": 1, "five_pages": 5}
    return {
        name: provider.analyse_cv(cv_text(name).replace("\f", ""), "digital_technology", None, n, False)
        for name, n in pages.items()
    }
