"""Reading an uploaded division list: CSV or XLSX judged by content, streamed.

Used by the import pipeline (:mod:`theft_cases.importing`), which runs only
in a Celery worker. A web request only checks what needs no parsing
(:func:`check_upload`: the kind of file by its first bytes, and for an XLSX
the zip directory); parsing never runs in a web request (DESIGN §5).

The limits of DESIGN §5 are checked while reading, before a row is
validated or written: more than 50 columns, a cell over 4,000 characters,
an XLSX whose parts unpack to more than 100 MB, more than 500,000 rows. A
file past them is refused with the line and column that broke the limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from theft_cases.rows import REQUIRED_COLUMNS, cell_text, is_blank_row

SNIFF_BYTES = 64 * 1024
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

# DESIGN §5: a file is refused before parsing when it would be unreasonable
# to read.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 4000
MAX_ROWS = 500_000
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# A workbook has a few dozen parts; a zip directory of lakhs of entries is
# itself a way to spend a worker's memory.
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
# A CSV line longer than this holds more than 50 columns or a cell over
# 4,000 characters; it is refused before the csv module splits it.
MAX_LINE_CHARS = MAX_COLUMNS * (MAX_CELL_CHARS + 3)

FILE_PROBLEMS = {
    "not_csv_xlsx": _("The file is not a CSV (UTF-8 text) or an XLSX workbook."),
    "not_utf8": _("The CSV file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."),
    "too_large": _("The file is too large (limit %(limit)s MB)."),
    "empty": _("The file is empty: it needs a header row."),
    "missing_columns": _("Required columns missing: %(columns)s."),
    "unreadable": _("The file could not be read: %(detail)s"),
    "no_jurisdiction": _("Only staff with a jurisdiction can import cases."),
    "too_many_columns": _("Line %(line)s has more than %(limit)s columns. Keep only the "
                          "columns of the import template."),
    "cell_too_long": _("Line %(line)s, column %(column)s: a cell is longer than %(limit)s "
                       "characters."),
    "line_too_long": _("Line %(line)s is too long: more than %(columns)s columns or a cell "
                       "longer than %(limit)s characters."),
    "too_many_rows": _("The file has more than %(limit)s rows. Split it into smaller "
                       "files."),
    "xlsx_too_large": _("The workbook is too large once unpacked (more than %(limit)s MB)."),
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


# --- Checks that need no parsing (also in the web request) ------------------------


def _check_zip_directory(handle: IO[bytes]) -> None:
    """Refuse a zip whose directory alone is unreasonable, before opening it."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 65536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise ImportFileError("not_csv_xlsx")
    entries = int.from_bytes(tail[end + 10:end + 12], "little")
    directory = int.from_bytes(tail[end + 12:end + 16], "little")
    if entries > MAX_ZIP_ENTRIES or directory > MAX_ZIP_DIRECTORY_BYTES:
        raise ImportFileError("not_csv_xlsx")


def _check_xlsx(handle: IO[bytes]) -> None:
    _check_zip_directory(handle)
    try:
        members = zipfile.ZipFile(handle).infolist()
    except zipfile.BadZipFile as exc:
        raise ImportFileError("not_csv_xlsx") from exc
    finally:
        handle.seek(0)
    names = {member.filename for member in members}
    if not all(part in names for part in XLSX_PARTS):
        raise ImportFileError("not_csv_xlsx")
    # zipfile never unpacks a member past its declared size, so the declared
    # sizes bound what openpyxl can read.
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError("xlsx_too_large", limit=MAX_XLSX_UNPACKED_BYTES // 2**20)


def detect_format(handle: IO[bytes]) -> str:
    """Return "csv" or "xlsx" judged by content, not by name; else refuse."""
    handle.seek(0)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not head:
        raise ImportFileError("empty")
    if head.startswith(b"PK\x03\x04"):
        _check_xlsx(handle)
        return "xlsx"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_csv_xlsx") from exc
    if "\x00" in text:
        raise ImportFileError("not_csv_xlsx")
    return "csv"


def check_upload(handle: IO[bytes]) -> str:
    """The web request's check of an upload: its kind and container, no parsing."""
    try:
        return detect_format(handle)
    finally:
        handle.seek(0)


# --- Reading (the worker, and the import_cases command) ---------------------------


@dataclass
class Sheet:
    """The rows of an uploaded file: header plus ``(line, raw dict)`` pairs."""

    header: list[str]
    rows: Iterator[tuple[int, dict]]
    close: Callable[[], None]
    # The same records before ``rows`` checks and names their cells (read
    # one or the other): ``(line, cells)``.
    records: Iterator[tuple[int, list]]
    kind: str = "csv"  # or "xlsx"


def _header(cells) -> list[str]:
    return [str(c).strip().lstrip("\ufeff").lower() if c is not None else "" for c in cells]


def _column_name(header: list[str], index: int) -> str:
    name = header[index] if index < len(header) else ""
    return name or str(index + 1)


def _check_cells(line: int, cells: list, header: list[str]) -> None:
    """Refuse a row past the column or cell limits (DESIGN §5)."""
    if len(cells) > MAX_COLUMNS:
        if any(cell_text(c) for c in cells[MAX_COLUMNS:]):
            raise ImportFileError("too_many_columns", line=line, limit=MAX_COLUMNS)
        cells = cells[:MAX_COLUMNS]
    try:
        longest = max(map(len, cells), default=0)  # a CSV row: all text, checked in C
    except TypeError:  # an XLSX row: numbers and dates too
        longest = max((len(v) for v in cells if isinstance(v, str)), default=0)
    if longest > MAX_CELL_CHARS:
        index = next(i for i, v in enumerate(cells)
                     if isinstance(v, str) and len(v) > MAX_CELL_CHARS)
        raise ImportFileError("cell_too_long", line=line, limit=MAX_CELL_CHARS,
                              column=_column_name(header, index))


def _pairs(header: list[str], numbered_cells) -> Iterator[tuple[int, dict]]:
    width = len(header)
    named = all(header)  # no blank (or repeated, now blanked) column names
    rows = 0
    for line, cells in numbered_cells:
        cells = list(cells)
        _check_cells(line, cells, header)
        cells = cells[:width]
        cells += [None] * (width - len(cells))
        raw = (dict(zip(header, cells, strict=True)) if named else
               {name: value for name, value in zip(header, cells, strict=True) if name})
        if not is_blank_row(raw):
            rows += 1
            if rows > MAX_ROWS:
                raise ImportFileError("too_many_rows", limit=f"{MAX_ROWS:,}")
            yield line, raw


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    """Yield the lines of a CSV, refusing one too long to be a row of ours."""
    number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise ImportFileError("line_too_long", line=number, columns=MAX_COLUMNS,
                                  limit=MAX_CELL_CHARS)
        yield line


def _csv_records(reader: Iterable[list[str]]) -> Iterator[list[str]]:
    iterator = iter(reader)
    while True:
        try:
            cells = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", 0)
            if "field larger than field limit" in str(exc):
                raise ImportFileError("cell_too_long", line=line, limit=MAX_CELL_CHARS,
                                      column="?") from exc
            raise ImportFileError("unreadable", detail=f"line {line}: {exc}") from exc
        yield cells


def _without_repeats(header: list[str]) -> list[str]:
    """Blank the second and later copies of a header name (the first column counts)."""
    seen: set[str] = set()
    kept = []
    for name in header:
        kept.append("" if name in seen else name)
        if name:
            seen.add(name)
    return kept


def open_sheet(handle: IO[bytes]) -> Sheet:
    """Open a CSV or XLSX file (by content) and check its header (DESIGN §5)."""
    kind = detect_format(handle)
    if kind == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(_bounded_lines(text))
        records = _csv_records(reader)
        close = text.detach
        try:
            first = next(records, None)
        except UnicodeDecodeError as exc:
            close()
            raise ImportFileError("not_utf8") from exc
        except ImportFileError:
            close()
            raise
        numbered = ((n, cells) for n, cells in enumerate(records, start=2))
    else:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False)
            worksheet = workbook.worksheets[0]
            # One column past the limit is read, to see whether it is used.
            values = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            first = next(values, None)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportFileError("unreadable", detail=exc.__class__.__name__) from exc
        numbered = ((n, cells) for n, cells in enumerate(values, start=2))
        close = workbook.close
    if first is None:
        close()
        raise ImportFileError("empty")
    try:
        _check_cells(1, list(first), [])
    except ImportFileError:
        close()
        raise
    header = _header(first)
    while header and not header[-1]:
        header.pop()  # empty cells after the last column name
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        close()
        raise ImportFileError("missing_columns", columns=", ".join(missing))
    header = _without_repeats(header)
    return Sheet(header=header, rows=_pairs(header, numbered), close=close, records=numbered,
                 kind=kind)


def check_file(handle: IO[bytes]) -> None:
    """Refuse a file that is not CSV/XLSX or lacks required columns (the command)."""
    sheet = open_sheet(handle)
    try:
        # Reading one data row catches a CSV that stops being UTF-8 early.
        next(sheet.rows, None)
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_utf8") from exc
    finally:
        sheet.close()
        handle.seek(0)


def estimate_rows(handle: IO[bytes]) -> int:
    """Return the rows to expect, for the progress bar while validating.

    A CSV's lines are counted as bytes (a line is at least a row: a quoted
    cell may hold a line break, and blank rows are skipped), without parsing
    it; a spreadsheet's rows are counted by :func:`count_rows`. The
    validation then stores the exact count.
    """
    if detect_format(handle) != "csv":
        return count_rows(handle)
    lines = 0
    last = b"\n"
    try:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    finally:
        handle.seek(0)
    if last != b"\n":
        lines += 1
    return min(max(lines - 1, 0), MAX_ROWS)


def count_rows(handle: IO[bytes]) -> int:
    """Return the number of non-blank data rows (for the progress bar).

    A quick pass over the cells as read: the validation that follows checks
    them (and refuses the file with its reason), this only counts the rows
    ``Sheet.rows`` will yield, and refuses a file with too many.
    """
    sheet = open_sheet(handle)
    named = [i for i, name in enumerate(sheet.header) if name]
    width = max(named) + 1
    pick = itemgetter(*named)
    rows = 0
    try:
        for _line, cells in sheet.records:
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            values = pick(cells)
            try:
                blank = not "".join(values).strip()  # a CSV row, checked in C
            except TypeError:
                blank = all(cell_text(v) == "" for v in values)
            if not blank:
                rows += 1
                if rows > MAX_ROWS:
                    raise ImportFileError("too_many_rows", limit=f"{MAX_ROWS:,}")
        return rows
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_utf8") from exc
    finally:
        sheet.close()
        handle.seek(0)
