"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

_DB_INT_MAX = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that, for integer keys, refuses, before any query, a value
    no database integer can hold: Django passes such values to its `__in` lookup, which raises
    OverflowError on SQLite and DataError on PostgreSQL (a 500 from one posted checkbox value)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if field.get_internal_type() not in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
            return super()._check_values(value)  # e.g. a language code: nothing to overflow
        for pk in value:
            text = str(pk)
            if not text.isdigit() or int(text) > _DB_INT_MAX:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:20]}
                )
        return super()._check_values(value)
