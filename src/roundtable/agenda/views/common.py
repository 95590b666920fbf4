from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from roundtable.processes.models import Process
from roundtable.processes.views import process_for

from ..models import Cluster, PolicyIssue

__all__ = [
    "cluster_for",
    "csv_response",
    "flash_errors",
    "issue_for",
    "process_for",
    "require",
]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def issue_for(process: Process, issue_id: int) -> PolicyIssue:
    return get_object_or_404(
        PolicyIssue.objects.select_related("process", "cluster", "merged_into"),
        pk=issue_id,
        process=process,
    )


def cluster_for(process: Process, cluster_id: int) -> Cluster:
    return get_object_or_404(
        Cluster.objects.select_related("process", "coordinator"), pk=cluster_id, process=process
    )


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class _Echo:
    def write(self, value: str) -> str:
        return value


# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in untrusted text (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(
    filename: str, header: list[str], rows: Iterable[list[Any]]
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV file with a byte-order mark, so spreadsheets read
    Arabic and Chinese correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
