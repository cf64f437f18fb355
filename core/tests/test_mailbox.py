import pytest

from core.mailbox import mailbox_normalise


@pytest.mark.parametrize(
    ("email", "inbox"),
    [
        ("J.a.n.e+x@Gmail.com", "jane@gmail.com"),
        ("jane+visa@googlemail.com", "jane@gmail.com"),
        ("a.b+c@example.com", "a.b@example.com"),
        ("sam+1@outlook.com", "sam@outlook.com"),
        (" Sam@Example.org ", "sam@example.org"),
    ],
)
def test_mailbox_normalise(email, inbox):
    assert mailbox_normalise(email) == inbox
