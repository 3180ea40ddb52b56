"""Reading an uploaded division list: CSV or XLSX judged by content, streamed.

Used by the import pipeline (:mod:`theft_cases.importing`) and by the upload
form, which refuses a bad file before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from theft_cases.rows import REQUIRED_COLUMNS, is_blank_row

SNIFF_BYTES = 64 * 1024
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

FILE_PROBLEMS = {
    "not_csv_xlsx": _("The file is not a CSV (UTF-8 text) or an XLSX workbook."),
    "not_utf8": _("The CSV file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."),
    "too_large": _("The file is too large (limit %(limit)s MB)."),
    "empty": _("The file is empty: it needs a header row."),
    "missing_columns": _("Required columns missing: %(columns)s."),
    "unreadable": _("The file could not be read: %(detail)s"),
    "no_jurisdiction": _("Only staff with a jurisdiction can import cases."),
}



class ImportFileError(Exception):
    """The whole file is refused; nothing is written."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self) -> str:
        text = str(FILE_PROBLEMS[code_or_unreadable(self.code)])
        return text % self.params if self.params else text


def code_or_unreadable(code: str) -> str:
    return code if code in FILE_PROBLEMS else "unreadable"


# --- Reading -----------------------------------------------------------------------


def detect_format(handle: IO[bytes]) -> str:
    """Return "csv" or "xlsx" judged by content, not by name; else refuse."""
    handle.seek(0)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not head:
        raise ImportFileError("empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(handle).namelist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError("not_csv_xlsx") from exc
        finally:
            handle.seek(0)
        if all(part in names for part in XLSX_PARTS):
            return "xlsx"
        raise ImportFileError("not_csv_xlsx")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_csv_xlsx") from exc
    if "\x00" in text:
        raise ImportFileError("not_csv_xlsx")
    return "csv"


@dataclass
class Sheet:
    """The rows of an uploaded file: header plus ``(line, raw dict)`` pairs."""

    header: list[str]
    rows: Iterator[tuple[int, dict]]
    close: Callable[[], None]


def _header(cells) -> list[str]:
    return [str(c).strip().lstrip("\ufeff").lower() if c is not None else "" for c in cells]


def _pairs(header: list[str], numbered_cells) -> Iterator[tuple[int, dict]]:
    width = len(header)
    for line, cells in numbered_cells:
        cells = list(cells)[:width]
        cells += [None] * (width - len(cells))
        raw = {name: value for name, value in zip(header, cells, strict=True) if name}
        if not is_blank_row(raw):
            yield line, raw


def open_sheet(handle: IO[bytes]) -> Sheet:
    """Open a CSV or XLSX file (by content) and check its header (DESIGN §5)."""
    kind = detect_format(handle)
    if kind == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            first = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFileError("not_utf8") from exc
        numbered = ((n, cells) for n, cells in enumerate(reader, start=2))
        close = text.detach
    else:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False)
            worksheet = workbook.worksheets[0]
            values = worksheet.iter_rows(values_only=True)
            first = next(values, None)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportFileError("unreadable", detail=exc.__class__.__name__) from exc
        numbered = ((n, cells) for n, cells in enumerate(values, start=2))
        close = workbook.close
    if first is None:
        close()
        raise ImportFileError("empty")
    header = _header(first)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        close()
        raise ImportFileError("missing_columns", columns=", ".join(missing))
    # A repeated header name keeps its first column.
    header = [name if name not in header[:i] else "" for i, name in enumerate(header)]
    return Sheet(header=header, rows=_pairs(header, numbered), close=close)


def check_file(handle: IO[bytes]) -> None:
    """Refuse a file that is not CSV/XLSX or lacks required columns."""
    sheet = open_sheet(handle)
    try:
        # Reading one data row catches a CSV that stops being UTF-8 early.
        next(sheet.rows, None)
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_utf8") from exc
    finally:
        sheet.close()
        handle.seek(0)


def count_rows(handle: IO[bytes]) -> int:
    """Return the number of non-blank data rows (for the progress bar)."""
    sheet = open_sheet(handle)
    try:
        return sum(1 for _ in sheet.rows)
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_utf8") from exc
    finally:
        sheet.close()
        handle.seek(0)
