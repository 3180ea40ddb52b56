"""Parse and validate one row of a division list (DESIGN §5).

Pure: no database and no Django. A row is a mapping of column name to the
raw cell value (text from a CSV, or str / int / float / datetime / None from
an XLSX cell). :func:`parse_row` returns either a frozen :class:`CaseRow` or
a list of :class:`RowError` (column, reason code). Reason codes are turned
into sentences in the reader's language by ``theft_cases.importing``.

The single-entry form uses the same function, so both ways of feeding a case
apply exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from core.dates import one_month_before
from core.mobile import normalise_mobile
from core.money import AmountError, amount_from_cell

COLUMNS: tuple[str, ...] = (
    "case_number",
    "detection_date",
    "account_number",
    "name",
    "father_or_husband_name",
    "address",
    "mobile",
    "sub_division_code",
    "category",
    "theft_type",
    "load_kw",
    "fir_number",
    "police_station",
    "assessment_amount",
    "compounding_fee",
    "deposited_amount",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "case_number",
    "detection_date",
    "name",
    "address",
    "sub_division_code",
    "category",
    "theft_type",
    "assessment_amount",
)
CATEGORIES: tuple[str, ...] = tuple(f"LMV-{n}" for n in range(1, 11)) + (
    "HV-1", "HV-2", "HV-3", "HV-4", "NC",
)
_CATEGORY_CODES = frozenset(CATEGORIES)
THEFT_TYPES: tuple[str, ...] = ("direct", "bypass", "tampering", "unauthorised_use", "other")

# Field lengths of the models the row lands in (TheftCase, Consumer).
MAX_LENGTHS = {
    "case_number": 40,
    "name": 200,
    "father_or_husband_name": 200,
    "address": 2000,
    "sub_division_code": 40,
    "fir_number": 60,
    "police_station": 120,
}
# The amount parser's refusal codes (core.money, which also bounds amounts to
# DecimalField(max_digits=14, decimal_places=2)) as row reasons; the three
# oldest keep their names, the others say which rule of §5 was broken.
AMOUNT_REASONS = {
    "empty": "bad_amount",
    "not_a_number": "bad_amount",
    "sign": "negative_amount",
    "too_large": "amount_too_large",
    "exponent": "amount_exponent",
    "space": "amount_space",
    "grouping": "amount_grouping",
    "point": "amount_point",
    "decimals": "amount_decimals",
    "script": "amount_script",
    "mixed": "amount_mixed",
}
# DecimalField(max_digits=10, decimal_places=2) for the load.
MAX_LOAD = Decimal("99999999.99")
EXCEL_EPOCH = dt.date(1899, 12, 30)

_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
)
# Spreadsheets often add a midnight time to a date typed as text.
_TRAILING_MIDNIGHT = re.compile(r"[ T]00:00(:00)?$")


# The required columns checked as text (the date and the amount have rules of
# their own), and the length limits, as tuples for the per-row loops.
_REQUIRED_TEXT = tuple(c for c in REQUIRED_COLUMNS
                       if c not in ("assessment_amount", "detection_date"))
_MAX_LENGTH_ITEMS = tuple(MAX_LENGTHS.items())
# The month-before cut-off of one ``today`` serves every row of a file.
_month_before = functools.lru_cache(maxsize=16)(one_month_before)
# A list repeats its dates, fees and loads from row to row: text cells are
# parsed once each (the functions are pure; a refusal is not cached and is
# raised again each time).
_CACHED_CELLS = 4096


class NegativeValue(ValueError):
    """A number below zero where only zero or more is allowed."""


class TooLarge(ValueError):
    """A number too large for its database column."""


class CaseRow(NamedTuple):
    """One validated case, ready to compare with the database.

    Immutable; a named tuple because an import builds one per row, and a
    frozen dataclass costs several times as much to build.
    """

    case_number: str
    detection_date: dt.date
    account_number: str
    name: str
    father_or_husband_name: str
    address: str
    mobile: str
    sub_division_code: str
    category: str
    theft_type: str
    load_kw: Decimal | None
    fir_number: str
    police_station: str
    assessment_amount: Decimal
    compounding_fee: Decimal
    deposited_amount: Decimal


@dataclass(frozen=True)
class RowError:
    column: str
    reason: str


def cell_text(value: object) -> str:
    """Return a cell as trimmed text; whole-number spreadsheet cells lose ".0"."""
    if type(value) is str:  # a CSV cell: the common case, first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_blank_row(raw: Mapping[str, object]) -> bool:
    values = list(raw.values())
    try:
        # All text (a CSV row): blank when nothing but whitespace, checked in C.
        return not "".join(values).strip()
    except TypeError:  # numbers, dates or empty cells of a spreadsheet
        return all(cell_text(v) == "" for v in values)


def parse_date(value: object) -> dt.date:
    """Parse DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or a spreadsheet date cell."""
    if type(value) is str:
        return _parse_date_text(value)
    return _parse_date(value)


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An Excel serial day number left unformatted (1 = 1900-01-01).
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("date out of range")
    text = str(value).strip()
    if ":" in text:
        text = _TRAILING_MIDNIGHT.sub("", text)
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            return dt.date(c, b, a) if order == "dmy" else dt.date(a, b, c)
    raise ValueError("not a date")


_parse_date_text = functools.lru_cache(maxsize=_CACHED_CELLS)(_parse_date)


def normalise_category(value: object) -> str:
    """Return the tariff category code; "lmv1", "LMV 1" and "LMV-1" are one."""
    text = cell_text(value)
    if text in _CATEGORY_CODES:  # already written as the code
        return text
    text = text.upper().replace(" ", "").replace("_", "-")
    match = re.match(r"^(LMV|HV)-?(\d{1,2})$", text)
    if match:
        text = f"{match.group(1)}-{int(match.group(2))}"
    if text not in CATEGORIES:
        raise ValueError("bad category")
    return text


def parse_load(value: object) -> Decimal:
    if type(value) is str:
        return _parse_load_text(value)
    return _parse_load(value)


def _parse_load(value: object) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        load = Decimal(cell_text(value).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not load.is_finite():
        raise ValueError("not a number")
    if load < 0:
        raise NegativeValue("negative")
    if load > MAX_LOAD:
        raise TooLarge("too large")
    quantised = load.quantize(Decimal("0.01"))
    if quantised != load:
        raise ValueError("more than two decimals")
    return quantised


_parse_load_text = functools.lru_cache(maxsize=_CACHED_CELLS)(_parse_load)
_amount_text = functools.lru_cache(maxsize=_CACHED_CELLS)(amount_from_cell)


def _amount(raw, text, column, errors, *, required):
    value = raw.get(column)
    if text[column] == "":
        if required:
            errors.append(RowError(column, "required"))
        return Decimal("0.00")
    try:
        # Text and numeric cells alike, by the one amount parser (§5 "Amounts").
        if type(value) is str:
            return _amount_text(text[column])
        return amount_from_cell(value)
    except AmountError as error:
        errors.append(RowError(column, AMOUNT_REASONS.get(error.code, "bad_amount")))
    return Decimal("0.00")


def parse_row(raw: Mapping[str, object], *, today: dt.date) -> CaseRow | list[RowError]:
    """Validate one row against the rules of DESIGN §5 (and §4.3 for the date).

    ``today`` is the IST calendar date the rules are checked on.
    """
    errors: list[RowError] = []
    text = {column: value.strip() if type(value) is str else cell_text(value)
            for column, value in zip(COLUMNS, map(raw.get, COLUMNS), strict=True)}

    for column in _REQUIRED_TEXT:
        if not text[column]:
            errors.append(RowError(column, "required"))
    for column, limit in _MAX_LENGTH_ITEMS:
        if len(text[column]) > limit:
            errors.append(RowError(column, "too_long"))

    detection_date = None
    if text["detection_date"] == "":
        errors.append(RowError("detection_date", "required"))
    else:
        try:
            detection_date = parse_date(raw.get("detection_date"))
        except ValueError:
            errors.append(RowError("detection_date", "bad_date"))
        else:
            if detection_date > today:
                errors.append(RowError("detection_date", "future_date"))
            elif detection_date > _month_before(today):
                errors.append(RowError("detection_date", "too_recent"))

    account_number = text["account_number"]
    if account_number and not (account_number.isdigit() and 10 <= len(account_number) <= 12):
        errors.append(RowError("account_number", "bad_account_number"))

    mobile = ""
    if text["mobile"]:
        mobile = normalise_mobile(raw.get("mobile"))
        if not mobile:
            errors.append(RowError("mobile", "bad_mobile"))

    category = ""
    if text["category"]:
        try:
            category = normalise_category(text["category"])
        except ValueError:
            errors.append(RowError("category", "bad_category"))

    theft_type = text["theft_type"].lower()
    if theft_type and theft_type not in THEFT_TYPES:
        errors.append(RowError("theft_type", "bad_theft_type"))

    load_kw = None
    if text["load_kw"]:
        try:
            load_kw = parse_load(raw.get("load_kw"))
        except NegativeValue:
            errors.append(RowError("load_kw", "negative_load"))
        except ValueError:
            errors.append(RowError("load_kw", "bad_load"))

    assessment = _amount(raw, text, "assessment_amount", errors, required=True)
    compounding = _amount(raw, text, "compounding_fee", errors, required=False)
    deposited = _amount(raw, text, "deposited_amount", errors, required=False)

    if errors:
        return errors
    return CaseRow(
        case_number=text["case_number"],
        detection_date=detection_date,
        account_number=account_number,
        name=text["name"],
        father_or_husband_name=text["father_or_husband_name"],
        address=text["address"],
        mobile=mobile,
        sub_division_code=text["sub_division_code"],
        category=category,
        theft_type=theft_type,
        load_kw=load_kw,
        fir_number=text["fir_number"],
        police_station=text["police_station"],
        assessment_amount=assessment,
        compounding_fee=compounding,
        deposited_amount=deposited,
    )
