import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("connection refused"), 503),
        (OperationalError("database is locked"), 500),
        (KeyError("x"), 500),
    ],
)
def test_an_unreachable_database_is_a_503_with_retry_after_other_errors_a_500(monkeypatch, error, status):
    from expert_marketplace import views

    def boom(*args, **kwargs):
        raise error

    monkeypatch.setattr(views, "render", boom)
    response = Client(raise_request_exception=False).get("/experts/")
    assert response.status_code == status
    assert ("Retry-After" in response) == (status == 503)
    assert ("be back in a moment" if status == 503 else "Something went wrong") in response.content.decode()
