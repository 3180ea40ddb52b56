"""Preparing an import's rows for the database: pure, and runnable in a child process.

Each row of a chunk is parsed by :func:`theft_cases.rows.parse_row`, its
sub-division looked up and checked against the uploader's jurisdiction, and
— for the set-based writer on PostgreSQL — written as a line of ``COPY``
text (:func:`copy_line`). Nothing here touches Django or the database.

A large CSV is prepared in a child process (``python -m
theft_cases.parsing``, started by :mod:`theft_cases.importing`), so the
parsing runs on another core beside the database work instead of sharing
one interpreter with it. The child reads frames from its standard input and
answers each on its standard output: a frame is a 4-byte big-endian length
and a :mod:`marshal` payload (plain strings, numbers, lists, tuples, dicts —
a CSV's cells are all text). The first frame describes the run (the
sub-division map, the jurisdiction prefix, the day), every later one is a
chunk of ``(line, raw)`` rows and is answered by one :func:`compact` tuple
per row. ``marshal`` is the interpreter's own format between two processes
of the same interpreter, never a file or a network peer.
"""

from __future__ import annotations

import datetime as dt
import marshal
import struct
import sys
from collections.abc import Callable
from typing import IO, NamedTuple

from theft_cases.rows import CaseRow, cell_text, parse_row

_LENGTH = struct.Struct(">I")
# COPY's text format: a backslash, tab, newline or carriage return in a cell
# is written as its escape.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Parsed(NamedTuple):
    """One row of a chunk after parsing: valid (``row``, its sub-division id
    and, for the set-based writer, its COPY text) or refused (``refusal``:
    the columns and reason codes). A row prepared in the child process
    carries no ``row``: the set-based writer needs only its key and text."""

    line: int
    raw: dict
    key: str  # the case number in capitals ("" when blank)
    row: CaseRow | None = None
    unit_id: int | None = None
    copy_text: str | None = None
    refusal: tuple[list[str], list[str]] | None = None


def copy_line(line: int, row: CaseRow, unit_id: int) -> str:
    """One valid row as a line of COPY text (the set-based writer's columns, in order)."""
    texts = (row.case_number.upper(), row.case_number, row.fir_number,
             row.police_station, row.name, row.father_or_husband_name, row.address)
    joined = "".join(texts)
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        texts = tuple(text.translate(_ESCAPE) for text in texts)
    key, number, fir, station, name, relative, address = texts
    return "\t".join((
        str(line), key, number, row.detection_date.isoformat(), str(unit_id),
        row.category, row.theft_type,
        "\\N" if row.load_kw is None else str(row.load_kw), fir, station,
        str(row.assessment_amount), str(row.compounding_fee),
        str(row.deposited_amount), name, relative, address,
        row.mobile, row.account_number,
    ))


def prepare(pairs: list[tuple[int, dict]], *, units: dict, prefix: str, today: dt.date,
            copy_text: Callable | None) -> list[Parsed]:
    """Parse a chunk's ``(line, raw)`` rows; ``units``: code → (id, path).

    Whether a row repeats an earlier one is decided afterwards, against the
    whole file (``theft_cases.importing``).
    """
    prepared = []
    for line, raw in pairs:
        # Case numbers are one whatever their capitals (DESIGN §5).
        key = cell_text(raw.get("case_number")).upper()
        result = parse_row(raw, today=today)
        if isinstance(result, list):
            parsed = Parsed(line, raw, key, refusal=([e.column for e in result],
                                                     [e.reason for e in result]))
        elif (unit := units.get(result.sub_division_code)) is None:
            parsed = Parsed(line, raw, key, refusal=(["sub_division_code"],
                                                     ["unknown_sub_division"]))
        elif not unit[1].startswith(prefix):
            parsed = Parsed(line, raw, key, refusal=(["sub_division_code"],
                                                     ["outside_jurisdiction"]))
        else:
            parsed = Parsed(line, raw, key, row=result, unit_id=unit[0], copy_text=(
                None if copy_text is None else copy_text(line, result, unit[0])))
        prepared.append(parsed)
    return prepared


def compact(parsed: Parsed) -> tuple:
    """What the child sends back for a row: ``(key, unit_id, copy_text, refusal)``."""
    return (parsed.key, parsed.unit_id, parsed.copy_text, parsed.refusal)


def expand(pairs: list[tuple[int, dict]], answers: list[tuple]) -> list[Parsed]:
    """The child's answers for ``pairs`` (the rows as the parent read them) as :class:`Parsed`."""
    if len(answers) != len(pairs):
        raise RuntimeError("the import's parsing process answered for other rows")
    return [Parsed(line, raw, key, None, unit_id, text,
                   None if refusal is None else (list(refusal[0]), list(refusal[1])))
            for (line, raw), (key, unit_id, text, refusal) in zip(pairs, answers, strict=True)]


def write_frame(stream: IO[bytes], value) -> None:
    payload = marshal.dumps(value)
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]):
    """The next frame's value; ``None`` at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if not head:
        return None
    if len(head) != _LENGTH.size:
        raise EOFError("a frame was cut short")
    (length,) = _LENGTH.unpack(head)
    payload = stream.read(length)
    if len(payload) != length:
        raise EOFError("a frame was cut short")
    return marshal.loads(payload)  # noqa: S302 - our own parent process, see the module


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The child's loop: the run's description, then a chunk at a time until the end."""
    described = read_frame(source)
    if described is None:
        return
    units = {code: tuple(unit) for code, unit in described["units"].items()}
    prefix, today = described["prefix"], dt.date.fromisoformat(described["today"])
    text = copy_line if described["copy_text"] else None
    while (pairs := read_frame(source)) is not None:
        prepared = prepare(pairs, units=units, prefix=prefix, today=today, copy_text=text)
        write_frame(sink, [compact(p) for p in prepared])


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
