import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from core.forms import IdMultipleChoiceField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9" * 40, str(2**63), "1\x00", "-1", "x"])
def test_an_id_no_database_integer_can_hold_is_a_form_error_not_a_500(value):
    field = IdMultipleChoiceField(queryset=User.objects.all())
    with pytest.raises(ValidationError):
        field.clean([value])


def test_real_ids_still_pass():
    user = User.objects.create_user(email="f@example.com", password="x-Secret-123")
    assert list(IdMultipleChoiceField(queryset=User.objects.all()).clean([str(user.pk)])) == [user]
