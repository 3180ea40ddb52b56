"""Bulk import of division lists (DESIGN §5): validate, preview, apply.

The file is read by :mod:`theft_cases.import_files` (streamed: csv with
``utf-8-sig``, openpyxl in read-only mode) and handled here in chunks, so
memory does not grow with the file: each chunk is parsed by
:mod:`theft_cases.parsing` while the database checks the chunk before — in
a child process for a large CSV on PostgreSQL (:func:`_parsing_in_child`),
else in a second thread (:func:`_parsing_beside`) — checked against the
database, and — when applying — written with every created or changed case
in its history: on PostgreSQL set-based (:mod:`theft_cases.bulk_apply`: ``COPY`` into a
temporary table, ``INSERT … SELECT``), elsewhere through the ORM
(:mod:`theft_cases.orm_apply`). Rejected rows stream to the
error report; only the first :data:`INLINE_REJECTED_LIMIT` are kept inline.

The preview and the apply run the same pipeline; the apply runs it again
inside one transaction (the caller's ``transaction.atomic``) so the outcome
reflects the database at the moment of applying. On PostgreSQL the preview
of a file keeps its valid rows (:mod:`theft_cases.import_kept`) and the
apply classifies and writes those in SQL (:func:`apply_kept`), reading the
file again only when something the rows were checked against has changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.exports import SafeCsvWriter
from organization.scoping import unit_path_prefix
from theft_cases import import_kept
from theft_cases.bulk_apply import BulkWriter
from theft_cases.import_files import ImportFileError, open_sheet
from theft_cases.orm_apply import CASE_FIELDS, CONSUMER_FIELDS, MONEY_FIELDS, OrmWriter
from theft_cases.parsing import Parsed, expand, prepare, read_frame, write_frame
from theft_cases.rows import cell_text

CHUNK_SIZE = 2000
INLINE_REJECTED_LIMIT = 500
__all__ = ["CASE_FIELDS", "CONSUMER_FIELDS", "MONEY_FIELDS", "ImportFileError"]

REASONS = {
    "required": _("required, but empty"),
    "too_long": _("too long"),
    "bad_date": _("not a date (use DD-MM-YYYY, DD/MM/YYYY or YYYY-MM-DD)"),
    "future_date": _("detection date is in the future"),
    "too_recent": _("detected less than one calendar month ago: cannot be fed yet"),
    "bad_account_number": _("account number must be 10 to 12 digits"),
    "bad_mobile": _("mobile must be 10 digits starting with 6, 7, 8 or 9"),
    "bad_category": _("unknown category (LMV-1 … LMV-10, HV-1 … HV-4, NC)"),
    "bad_theft_type": _(
        "unknown theft type (direct, bypass, tampering, unauthorised_use, other)"
    ),
    "bad_load": _("load must be a number with at most two decimals"),
    "negative_load": _("load cannot be negative"),
    "bad_amount": _("not an amount in rupees"),
    "negative_amount": _("amount cannot be negative or have a + sign"),
    "amount_too_large": _("amount too large"),
    # The other refusals of the amount parser (DESIGN §5 "Amounts").
    "amount_exponent": _("amount written with an exponent (1e5): write it in full"),
    "amount_space": _("spaces or _ inside the amount"),
    "amount_grouping": _("commas in the wrong places (write 1,23,456 or 123,456)"),
    "amount_point": _("digits needed on both sides of the point (0.50, 12.00)"),
    "amount_decimals": _("more than two decimals in the amount"),
    "amount_script": _("amount in digits other than 0–9 or ०–९"),
    "amount_mixed": _("amount mixes 0–9 and ०–९ digits"),
    "unknown_sub_division": _("no sub-division has this code"),
    "outside_jurisdiction": _("this sub-division is outside your jurisdiction"),
    "case_outside_jurisdiction": _(
        "a case with this number exists outside your jurisdiction"
    ),
    "duplicate_in_file": _("case number repeated in this file (the first copy counts)"),
    "case_number_other_capitals": _(
        "the portal has this case number in other capitals (case numbers are the same "
        "whatever their capitals): use the number as it is on the portal"
    ),
}

def reason_text(code: str) -> str:
    """Return the reason for a rejection code in the active language."""
    return str(REASONS.get(code, code))


# --- Validating and applying -------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    processed: int = 0
    rejected_rows: list[dict] = field(default_factory=list)
    changed_money_case_ids: list[int] = field(default_factory=list)
    # Line → created / updated / unchanged / rejected (``run_rows`` only).
    row_results: dict[int, str] = field(default_factory=dict)

    def counts(self) -> dict:
        return {
            "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": self.rejected,
        }


class ErrorReport:
    """CSV of rejected rows: the original row plus line, column and reason.

    Header names and cells come from the uploaded file: every one goes
    through the neutralising writer (DESIGN §7).
    """

    def __init__(self, stream: IO[str], header: list[str]):
        self.columns = [c for c in header if c]
        self.writer = SafeCsvWriter(stream)
        stream.write("\ufeff")
        self.writer.writerow(["line", "column", "reason", *self.columns])

    def add(self, line: int, columns: list[str], codes: list[str], raw: dict) -> None:
        self.writer.writerow([
            line, ", ".join(columns), "; ".join(reason_text(c) for c in codes),
            *(cell_text(raw.get(c)) for c in self.columns),
        ])


def rejection_entry(line: int, columns: list[str], codes: list[str], case_number: str) -> dict:
    return {"line": line, "columns": columns, "codes": codes, "case_number": case_number}


def describe_rejection(entry: dict) -> dict:
    """Return ``{"line", "column", "reason"}`` in the active language."""
    return {
        "line": entry["line"],
        "column": ", ".join(entry["columns"]),
        "reason": "; ".join(reason_text(code) for code in entry["codes"]),
    }


class SeenNumbers:
    """The case numbers met so far in one file, in a temporary table.

    A set in memory would grow with the file; the table keeps the import's
    memory flat however long the list is (DESIGN §6).
    """

    def __init__(self):
        self.table = f"import_seen_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (case_number text PRIMARY KEY)"
            )

    def first_seen(self, numbers: list[str]) -> set[str]:
        """Record ``numbers``; return those never seen before in this file."""
        if connection.vendor == "postgresql":
            # The whole chunk as one array parameter.
            return self._insert("SELECT unnest(%s::text[])", [numbers]) if numbers else set()
        fresh: set[str] = set()
        for start in range(0, len(numbers), 1000):
            batch = numbers[start:start + 1000]
            fresh |= self._insert("VALUES " + ", ".join(["(%s)"] * len(batch)), batch)
        return fresh

    def _insert(self, rows: str, params: list) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (case_number) {rows} "  # noqa: S608  # nosec B608
                "ON CONFLICT DO NOTHING RETURNING case_number", params,
            )
            return {row[0] for row in cursor.fetchall()}

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def writer_class():
    """Set-based on PostgreSQL (the scale target); the ORM elsewhere (SQLite)."""
    if connection.vendor == "postgresql":

        return BulkWriter
    return OrmWriter


class _Run:
    def __init__(self, *, user, today: dt.date, apply: bool, report: ErrorReport | None,
                 change_reason: str, prefix: str | None = None, keep_rows: bool = False,
                 keep_for: int | None = None):
        prefix = unit_path_prefix(user) if prefix is None else prefix
        if prefix is None:
            raise ImportFileError("no_jurisdiction")
        self.user = user
        self.prefix = prefix
        self.today = today
        self.apply = apply
        self.report = report
        self.change_reason = change_reason
        # Every row's outcome by line, and every rejection inline (the API's
        # per-row answer); a file import keeps only counts.
        self.row_results: dict[int, str] | None = {} if keep_rows else None
        self.inline_limit = None if keep_rows else INLINE_REJECTED_LIMIT
        self.sub_divisions = import_kept.sub_division_map()
        writer = writer_class()
        # The set-based writer's COPY text is built with the parsing.
        self.copy_line = getattr(writer, "copy_line", None)
        # A file's preview on PostgreSQL keeps its rows for the apply.
        self.keep_for = keep_for if (keep_for is not None and not apply
                                     and writer is BulkWriter) else None
        options = {} if self.keep_for is None else {
            "kept": import_kept.table_name(self.keep_for)}
        self.seen = SeenNumbers()
        self.writer = writer(user=user, prefix=prefix, apply=apply,
                             change_reason=change_reason, **options)
        self.outcome = Outcome()

    def reject(self, line: int, raw: dict, columns: list[str], codes: list[str]) -> None:
        self.outcome.rejected += 1
        self._result(line, "rejected")
        if self.inline_limit is None or len(self.outcome.rejected_rows) < self.inline_limit:
            case_number = cell_text(raw.get("case_number"))
            self.outcome.rejected_rows.append(
                rejection_entry(line, columns, codes, case_number)
            )
        if self.report is not None:
            self.report.add(line, columns, codes, raw)

    def prepare(self, pairs: list[tuple[int, dict]]) -> list[Parsed]:
        """Parse a chunk's rows: pure, so it may run beside the database work.

        Whether a row repeats an earlier one is decided by :meth:`chunk`.
        """
        return prepare(pairs, units=self.sub_divisions, prefix=self.prefix, today=self.today,
                       copy_text=self.copy_line)

    def description(self) -> dict:
        """What the parsing process needs to prepare rows as :meth:`prepare` does."""
        return {"units": self.sub_divisions, "prefix": self.prefix,
                "today": self.today.isoformat(), "copy_text": self.copy_line is not None}

    def chunk(self, prepared: list[Parsed]) -> None:
        """Check a prepared chunk against the file so far and the database."""
        valid: list[tuple[int, object, int]] = []
        texts: list[str] = []
        keys: list[str] = []
        raws: dict[int, dict] = {}
        fresh = self.seen.first_seen(list(dict.fromkeys(p.key for p in prepared if p.key)))
        for parsed in prepared:
            line, raw, key = parsed.line, parsed.raw, parsed.key
            if key:
                if key not in fresh:
                    self.reject(line, raw, ["case_number"], ["duplicate_in_file"])
                    continue
                fresh.discard(key)  # later copies in this chunk are duplicates
            if parsed.refusal is not None:
                self.reject(line, raw, *parsed.refusal)
                continue
            valid.append((line, parsed.row, parsed.unit_id))
            texts.append(parsed.copy_text)
            keys.append(key)
            raws[line] = raw
        added = self.writer.add(valid, texts, keys)
        for line, result in added:
            if result in OUTCOMES:
                setattr(self.outcome, result, getattr(self.outcome, result) + 1)
                self._result(line, result)
            else:
                self.reject(line, raws[line], ["case_number"], [result])

    def finish(self) -> None:
        """Write what is staged (or keep it, for the apply); drop the tables of this run."""
        self.outcome.changed_money_case_ids.extend(self.writer.flush())
        if self.keep_for is not None:
            self.writer.keep(json.dumps(import_kept.description(
                case_import_id=self.keep_for, user_id=self.user.pk, prefix=self.prefix,
                today=self.today, language=get_language(), units=self.sub_divisions,
                rows=self.writer.staged_total)))
        self.close()

    def close(self) -> None:
        self.writer.close()
        self.seen.drop()

    def _result(self, line: int, result: str) -> None:
        if self.row_results is not None:
            self.row_results[line] = result


OUTCOMES = ("created", "updated", "unchanged")
# How often a thread waiting for the interpreter gets it back from a busy one
# while an import parses beside its database work (Python's default is 5 ms).
SWITCH_INTERVAL = 0.0005


@contextlib.contextmanager
def _parsing_beside(prepare: Callable[[list], list[Parsed]], sheet,
                    chunk_size: int) -> Iterator[Iterator[list[Parsed]]]:
    """Yield the file's prepared chunks, the next one read and parsed meanwhile.

    Reading and parsing a chunk is pure Python (no database), so one thread
    does it while this one waits for the database over the chunk before:
    the database's own work no longer adds to the parsing time. Only this
    thread touches the database connection. A refusal of the file met while
    reading (:class:`ImportFileError`) is raised here, at its chunk.
    """

    def read() -> list[Parsed] | None:
        try:
            pairs = list(islice(sheet.rows, chunk_size))
        except UnicodeDecodeError as exc:
            raise ImportFileError("not_utf8") from exc
        return prepare(pairs) if pairs else None

    def chunks() -> Iterator[list[Parsed]]:
        pending = pool.submit(read)
        while (prepared := pending.result()) is not None:
            pending = pool.submit(read)
            yield prepared

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-parse")
    _quick_switching(+1)
    try:
        yield chunks()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _quick_switching(-1)


@contextlib.contextmanager
def _parsing_in_child(run: _Run, sheet, chunk_size: int) -> Iterator[Iterator[list[Parsed]]]:
    """Yield the file's prepared chunks, parsed by a child process (:mod:`theft_cases.parsing`).

    The interpreter runs one thread at a time, so parsing in a thread of
    this process shares one core with this process's own database work; a
    child process parses on another. A thread here reads the file and hands
    each chunk both to the child and, through a queue, to this thread, which
    keeps the rows as read (for the error report and the duplicates) and
    matches them with the child's answers, in order. A refusal of the file
    met while reading is raised here, at its chunk; a child that stops
    answering stops the import.
    """
    child = subprocess.Popen(  # noqa: S603 - this interpreter, a module of ours
        [sys.executable, "-m", "theft_cases.parsing"], cwd=settings.BASE_DIR,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    read: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand(item) -> None:
        while not stop.is_set():
            try:
                read.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def feed() -> None:
        try:
            write_frame(child.stdin, run.description())
            while not stop.is_set():
                try:
                    pairs = list(islice(sheet.rows, chunk_size))
                except UnicodeDecodeError as exc:
                    raise ImportFileError("not_utf8") from exc
                if not pairs:
                    break
                write_frame(child.stdin, pairs)
                hand(pairs)
            hand(None)
        except OSError:  # the child's end of the pipe is gone
            hand(RuntimeError("the import's parsing process stopped"))
        except BaseException as exc:  # noqa: BLE001 - raised again by chunks(), at its chunk
            hand(exc)
        finally:
            with contextlib.suppress(OSError, ValueError):
                child.stdin.close()

    def chunks() -> Iterator[list[Parsed]]:
        while (pairs := read.get()) is not None:
            if isinstance(pairs, BaseException):
                raise pairs
            answers = read_frame(child.stdout)
            if answers is None:
                detail = child.stderr.read().decode(errors="replace").strip()[-300:]
                raise RuntimeError(f"the import's parsing process stopped: {detail}")
            yield expand(pairs, answers)

    feeder = threading.Thread(target=feed, name="import-read", daemon=True)
    _quick_switching(+1)
    feeder.start()
    try:
        yield chunks()
    finally:
        stop.set()
        child.kill()
        feeder.join()
        child.wait()
        for stream in (child.stdout, child.stderr):
            stream.close()
        _quick_switching(-1)


def _parsing(run: _Run, sheet, chunk_size: int, size: int | None):
    """In a child process for a large CSV on PostgreSQL, else in a thread beside."""
    if (run.copy_line is not None and sheet.kind == "csv" and size is not None
            and size >= settings.IMPORT_PARSE_IN_CHILD_BYTES):
        return _parsing_in_child(run, sheet, chunk_size)
    return _parsing_beside(run.prepare, sheet, chunk_size)


def _size(handle) -> int | None:
    """The uploaded file's size in bytes, when its handle can tell."""
    try:
        start = handle.tell()
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(start)
    except (AttributeError, OSError, ValueError):
        return None
    return size


_switching = {"imports": 0, "interval": 0.0}
_switching_lock = threading.Lock()


def _quick_switching(step: int) -> None:
    """Shorten the switch interval while any import parses beside its database
    work; the first import in saves the process's interval, the last out
    puts it back (imports may run in several threads of one process)."""
    with _switching_lock:
        if step > 0 and _switching["imports"] == 0:
            _switching["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(min(_switching["interval"], SWITCH_INTERVAL))
        _switching["imports"] += step
        if step < 0 and _switching["imports"] == 0:
            sys.setswitchinterval(_switching["interval"])


def run_import(*, handle: IO[bytes], user, today: dt.date, apply: bool,
               report_stream: IO[str] | None = None,
               progress: Callable[[int], None] | None = None,
               change_reason: str = "bulk import",
               chunk_size: int = CHUNK_SIZE, keep_for: int | None = None) -> Outcome:
    """Validate (and with ``apply``, write) every row of an uploaded file.

    With ``apply`` the caller holds a transaction: any error undoes the
    whole import. Raises :class:`ImportFileError` when the file is refused.
    ``keep_for`` (an import's id, validating only) keeps the valid rows for
    :func:`apply_kept`, where the database can.
    """
    if apply and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply the import inside transaction.atomic")
    size = _size(handle)
    sheet = open_sheet(handle)
    try:
        report = ErrorReport(report_stream, sheet.header) if report_stream else None
        run = _Run(user=user, today=today, apply=apply, report=report,
                   change_reason=change_reason, keep_for=keep_for)
        try:
            with _parsing(run, sheet, chunk_size, size) as chunks:
                for prepared in chunks:
                    run.chunk(prepared)
                    run.outcome.processed += len(prepared)
                    if progress is not None:
                        progress(run.outcome.processed)
        except DatabaseError:
            raise  # an aborted transaction: its rollback drops the temporary tables
        except BaseException:
            run.close()  # a refused file mid-way: the worker's connection lives on
            raise
        run.finish()
        return run.outcome
    finally:
        sheet.close()


def apply_kept(*, case_import, user, today: dt.date, change_reason: str) -> Outcome | None:
    """Apply the rows the import's preview kept, in SQL alone; None: read the file.

    The caller holds the transaction (and the import's row lock). The rows
    are used only when everything they were checked against is as it was
    (:mod:`theft_cases.import_kept`) and no row crossed a rule since; the
    preview's rejections, counts of refused rows and error report then stand
    as they are.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply the import inside transaction.atomic")
    described = import_kept.read_description(case_import.pk)
    if described is None or "rows" not in described:
        return None
    prefix = unit_path_prefix(user)
    if prefix is None:
        return None
    expected = import_kept.description(
        case_import_id=case_import.pk, user_id=user.pk, prefix=prefix, today=today,
        language=get_language(), units=import_kept.sub_division_map(),
        rows=described["rows"])
    if described != expected:
        return None
    writer = BulkWriter(user=user, prefix=prefix, apply=True, change_reason=change_reason,
                        kept=import_kept.table_name(case_import.pk), create=False)
    counts = writer.apply_kept(described["rows"])
    if counts is None:
        return None
    outcome = Outcome(rejected=case_import.rejected_count, processed=case_import.processed_rows,
                      rejected_rows=list(case_import.rejected_rows or []), **counts)
    outcome.changed_money_case_ids.extend(writer.flush())
    return outcome


def run_rows(rows: list[dict], *, user, prefix: str, today: dt.date, apply: bool,
             change_reason: str) -> Outcome:
    """Validate (and with ``apply``, write) rows given as mappings, in one chunk.

    The same pipeline as a file import, for rows that arrive whole (the
    integration API, DESIGN §8): line ``n`` is ``rows[n - 1]``. ``prefix`` is
    the path of the unit the rows must fall in; every row's outcome is kept
    in ``row_results`` and every rejection in ``rejected_rows``. With
    ``apply`` the caller holds a transaction.
    """
    if apply and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply the rows inside transaction.atomic")
    run = _Run(user=user, today=today, apply=apply, report=None,
               change_reason=change_reason, prefix=prefix, keep_rows=True)
    try:
        if rows:
            run.chunk(run.prepare(list(enumerate(rows, start=1))))
        run.outcome.changed_money_case_ids.extend(run.writer.flush())
    except DatabaseError:
        # The caller's transaction is aborted (PostgreSQL refuses any further
        # statement); its rollback drops the temporary tables with the rest.
        raise
    except BaseException:
        run.close()
        raise
    run.close()
    run.outcome.processed = len(rows)
    run.outcome.row_results = run.row_results or {}
    return run.outcome
