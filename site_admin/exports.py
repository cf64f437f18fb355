"""CSV exports from admin changelists, shared by every app's admin.

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
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone

from talentvisa.money import format_pence

from . import audit

Columns = Sequence[tuple[str, str]]  # (header, dotted attribute path)


class _Echo:
    def write(self, value):
        return value


def _cell(value):
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
        yield [_cell(v) for v in values] + pounds


def stream_csv(queryset, *, name: str, columns: Columns, money: Sequence[str] = (), select_related=()):
    """A streaming CSV download of `queryset` (constant queries: select_related + chunked iterator)."""
    rows = queryset.select_related(*select_related).order_by("pk").iterator(chunk_size=2000)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(rows, columns=columns, money=money)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="talentvisa-{name}-{stamp}.csv"'
    return response


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
