"""CSV and xlsx downloads, with the one spreadsheet-formula guard.

A text cell that a spreadsheet could read as a formula is made plain by a leading apostrophe
(OWASP's CSV injection guidance): one that starts with = + - @ (or their full-width forms),
a tab, a carriage return or a line feed, or whose first character after any whitespace
(spaces, tabs, line breaks) is one of = + - @. Numbers, dates and empty cells pass as they are.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[Any]
Sheet = tuple[str, Iterable[Row]]  # (title, rows: the first is the header)


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def cell_safe(value: Any) -> Any:
    """The value as a spreadsheet may safely read it."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    # Whitespace before a formula (a space, a tab, a line break: a spreadsheet may skip any).
    if first in _FORMULA_FIRST or (first.isspace() and value.lstrip().startswith(FORMULA_STARTS)):
        return f"'{value}"
    return value


def _safe_row(row: Row) -> list[Any]:
    return [cell_safe(value) for value in row]


class _Echo:
    """A file-like object whose write returns what it was given (for streaming CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """Each row as one line of CSV, guarded, as it is produced (nothing held in memory)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(_safe_row(row))


def csv_text(rows: Iterable[Row]) -> str:
    return "".join(csv_lines(rows))


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "download"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'


def _batched(lines: Iterable[str], size: int = 500) -> Iterator[str]:
    """Lines joined a few hundred at a time: one write to the socket per batch, not per line."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_response(filename: str, rows: Iterable[Row]) -> StreamingHttpResponse:
    """A streamed CSV download: the header is the first row."""
    response = StreamingHttpResponse(
        _batched(csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, filename)
    return response


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with a sheet per (title, rows); each sheet's first row in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append(_safe_row(row))
        if sheet.max_row >= 1:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    _attachment(response, filename)
    return response
