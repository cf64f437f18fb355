"""CSV writing for every download (`csv_response`, one cell rule `csv_cell`), and the admin exports.

Every text cell that a spreadsheet would read as a formula (= + - @, tab, carriage return first)
is written with a leading apostrophe (OWASP "CSV injection"); numbers and our own formatted money
are written as they are.

Admin changelist exports, shared by every app's admin:

Two ways in, same file out:
- the "Export CSV (all matching)" link above a changelist (CsvExportMixin) exports exactly what
  the current filters, search and date drill-down show — the changelist's own queryset;
- the "Export selected … as CSV" action exports the ticked rows.

Money is written twice: integer pence (for sums) and formatted pounds (for people). Times are UTC
ISO 8601. Rows are streamed (StreamingHttpResponse + csv.writer) with select_related, so the number
of queries does not grow with the number of rows. Every export is recorded as a staff action.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone

from core.money import format_pence

from . import audit

Columns = Sequence[tuple[str, str]]  # (header, dotted attribute path)


class _Echo:
    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text cell a spreadsheet will not evaluate: '=HYPERLINK(..)' becomes "'=HYPERLINK(..)"."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value) -> str:
    """One cell: UTC ISO 8601 times, true/false, '' for None, numbers as is, text formula-safe."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_safe(value)
    return str(value)


def _resolve(obj, attr: str):
    value = obj
    for part in attr.split("."):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value() if callable(value) else value


def csv_rows(objects: Iterable, *, columns: Columns, money: Sequence[str] = ()) -> Iterable[list[str]]:
    """Header row, then one row per object: every column, then a formatted £ column per money field."""
    money_columns = [(h, attr) for h, attr in columns if attr in money]
    yield [h for h, _ in columns] + [f"{h} (£)" for h, _ in money_columns]
    for obj in objects:
        values = [_resolve(obj, attr) for _, attr in columns]
        currency = getattr(obj, "currency", None) or "gbp"
        pounds = [
            format_pence(int(v), currency) if v is not None else ""
            for (_, attr), v in zip(columns, values, strict=True)
            if attr in money
        ]
        yield [csv_cell(v) for v in values] + pounds


def csv_response(rows: Iterable[Sequence], *, filename: str, streaming: bool = True):
    """A CSV download of `rows` (the first is the header), cells already made by csv_cell.

    Streaming writes rows as they are produced (large admin exports); otherwise one response body.
    """
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in rows)
    content_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(lines, content_type=content_type) if streaming else None
    if response is None:
        response = HttpResponse("".join(lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_csv(queryset, *, name: str, columns: Columns, money: Sequence[str] = (), select_related=()):
    """A streaming CSV download of `queryset` (constant queries: select_related + chunked iterator)."""
    rows = queryset.select_related(*select_related).order_by("pk").iterator(chunk_size=2000)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(csv_rows(rows, columns=columns, money=money), filename=f"talentvisa-{name}-{stamp}.csv")


def csv_export_action(*, name: str, columns: Columns, money: Sequence[str] = (), select_related=()):
    """An admin action writing `columns` for each selected row (or all matching, with "select all")."""

    @admin.action(description=f"Export selected {name} as CSV", permissions=["view"])
    def export(modeladmin, request, queryset):
        audit.record(actor=request.user, action=f"export_{name}_csv", reason=f"selected rows ({queryset.count()})")
        return stream_csv(queryset, name=name, columns=columns, money=money, select_related=select_related)

    export.__name__ = f"export_{name}_csv"
    return export


class CsvExportMixin:
    """Adds /admin/<app>/<model>/export.csv and an "Export CSV (all matching)" link to the changelist.

    Set csv_export_name and csv_export_columns (and csv_export_money, csv_export_select_related).
    The view builds the changelist from the same query string, so it exports the filtered rows.
    """

    csv_export_name: str = ""
    csv_export_columns: Columns = ()
    csv_export_money: Sequence[str] = ()
    csv_export_select_related: Sequence[str] = ()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.csv_export_columns and IS_POPUP_VAR not in request.GET:
            action = csv_export_action(
                name=self.csv_export_name,
                columns=self.csv_export_columns,
                money=self.csv_export_money,
                select_related=self.csv_export_select_related,
            )
            if self.has_view_permission(request):
                actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export_csv"
        return [path("export.csv", self.admin_site.admin_view(self.csv_export_view), name=name), *super().get_urls()]

    def csv_export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("Unknown filter in the export link.")
        query = request.GET.urlencode()
        audit.record(actor=request.user, action=f"export_{self.csv_export_name}_csv", reason=f"all matching ?{query}")
        return stream_csv(
            queryset,
            name=self.csv_export_name,
            columns=self.csv_export_columns,
            money=self.csv_export_money,
            select_related=self.csv_export_select_related,
        )

    def changelist_view(self, request, extra_context=None):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_export_csv", current_app=self.admin_site.name
        )
        query = request.GET.urlencode()
        extra_context = {**(extra_context or {}), "csv_export_url": f"{url}?{query}" if query else url}
        return super().changelist_view(request, extra_context=extra_context)
