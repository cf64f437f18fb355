import pytest

from ai_tools.providers.local import LocalProvider
from ai_tools.tests.builders import cv_text

from .factories import TODAY


@pytest.fixture(scope="session")
def analysis():
    return LocalProvider(today=TODAY).analyse_cv(cv_text("strong_talent"), "digital_technology", None, 2, False)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
