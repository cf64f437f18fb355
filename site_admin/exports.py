"""CSV exports from admin changelists: an action that streams the selected (or filtered) rows.

Select "all N matching" in the admin to export everything the current filters show. Money is
written twice: integer pence (for sums) and formatted pounds (for people). Times are UTC ISO 8601.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone

from talentvisa.money import format_pence


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if value is None:
        return ""
    return str(value)


def csv_export_action(*, name: str, columns: list[tuple[str, str]], money: tuple[str, ...] = (), select_related=()):
    """An admin action writing `columns` [(header, dotted attribute)] for each selected row."""

    @admin.action(description=f"Export selected {name} as CSV")
    def export(modeladmin, request, queryset):
        rows = queryset.select_related(*select_related).order_by("pk").iterator(chunk_size=2000)
        headers = [h for h, _ in columns] + [f"{h} (£)" for h, attr in columns if attr in money]
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(headers)
            for obj in rows:
                values = []
                for _, attr in columns:
                    value = obj
                    for part in attr.split("."):
                        value = getattr(value, part, None) if value is not None else None
                    values.append(value)
                formatted = [
                    format_pence(int(v or 0)) for (_, attr), v in zip(columns, values, strict=True) if attr in money
                ]
                yield writer.writerow([_cell(v) for v in values] + formatted)

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="talentvisa-{name}-{stamp}.csv"'
        return response

    export.__name__ = f"export_{name}_csv"
    return export
