"""CSV and XLSX downloads with spreadsheet formulas neutralised (DESIGN §7).

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage
return) would run as a formula when a spreadsheet opens it, so text cells get
a leading apostrophe. Numbers (Decimal, int) stay numbers.
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


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Stream a UTF-8 CSV (with BOM, so Excel shows Hindi) of neutralised cells."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _content_disposition(filename)
    return response


def xlsx_bytes(*, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1"
               ) -> bytes:
    """Return an XLSX workbook (write-only, so memory stays flat) as bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
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
