"""CSV and XLSX files with spreadsheet formulas neutralised (DESIGN §7).

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage
return) would run as a formula when a spreadsheet opens it, so text cells get
a leading apostrophe. Numbers (Decimal, int) stay numbers.

Every CSV or XLSX the portal writes — downloads, the import error report —
goes through :class:`SafeCsvWriter` or :func:`xlsx_bytes` here, header row
included (an uploaded header cell ``=HYPERLINK(...)`` came out raw in the
error report); ``tests/security`` checks no other module writes one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` fit for a spreadsheet cell: text that cannot run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _content_disposition(filename: str) -> str:
    # Case numbers hold "/" and spaces; keep the file name plain ASCII.
    plain = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in filename)
    return f'attachment; filename="{plain}"'


def safe_row(row: Iterable) -> list:
    """Return every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """``csv.writer`` whose every row — header or data — is neutralised."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Stream a UTF-8 CSV (with BOM, so Excel shows Hindi) of neutralised cells."""
    writer = SafeCsvWriter(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _content_disposition(filename)
    return response


def xlsx_bytes(*, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1"
               ) -> bytes:
    """Return an XLSX workbook (write-only, so memory stays flat) as bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence],
                  title: str = "Sheet1"):
    response = HttpResponse(
        xlsx_bytes(header=header, rows=rows, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _content_disposition(filename)
    return response
