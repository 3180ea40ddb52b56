"""Money and time helpers shared by every app.

DESIGN §4.2: all money is Decimal; the two products of the quote are rounded
to whole rupees half up (₹2,000.50 → ₹2,001), never banker's rounding.
DESIGN §3: business dates are calendar dates in Asia/Kolkata.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
PAISE = Decimal("0.01")
RUPEE = Decimal("1")


def round_rupees(amount: Decimal) -> Decimal:
    """Round to whole rupees, half up (DESIGN §4.2)."""
    return Decimal(amount).quantize(RUPEE, rounding=ROUND_HALF_UP)


def to_paise(amount: Decimal) -> Decimal:
    """Return the amount with exactly two decimals (half up)."""
    return Decimal(amount).quantize(PAISE, rounding=ROUND_HALF_UP)


def parse_rupees(text: object) -> Decimal:
    """Parse a rupee amount such as ``123456.50``, ``1,23,456.50`` or ``₹ 2,000``.

    Raises ``ValueError`` for anything that is not a finite number with at
    most two decimals. The sign is kept: callers decide whether it is allowed.
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        # Spreadsheet cells arrive as float; repr keeps what the cell showed.
        value = Decimal(repr(text))
    else:
        cleaned = str(text).strip().replace("₹", "").replace(",", "").replace(" ", "")
        if cleaned.lower().startswith("rs."):
            cleaned = cleaned[3:]
        if not cleaned:
            raise ValueError("empty amount")
        if "e" in cleaned.lower():
            # DESIGN §5: exponents ("1e5", "1e30") are refused, never read.
            raise ValueError(f"exponent in an amount: {text!r}")
        try:
            value = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    try:
        if value != value.quantize(PAISE):
            raise ValueError(f"more than two decimals: {text!r}")
    except InvalidOperation as exc:
        # Too many digits to hold paise (a spreadsheet's 1e30): not an amount.
        raise ValueError(f"too large: {text!r}") from exc
    return to_paise(value)


def group_indian(digits: str) -> str:
    """Group a string of digits the Indian way: 12345678 → 1,23,45,678."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    if head:
        parts.insert(0, head)
    return ",".join(parts) + "," + tail


def format_inr(amount: Decimal | int | None, *, decimals: int = 2, symbol: bool = True) -> str:
    """Format rupees with Indian grouping: ``₹1,23,45,678.00``.

    One formatter for pages, CSV and PDF, so every figure reads the same.
    """
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    quantum = Decimal(1).scaleb(-decimals) if decimals else RUPEE
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = group_indian(whole) + (f".{fraction}" if decimals else "")
    return f"{sign}{'₹' if symbol else ''}{text}"


def today_ist() -> dt.date:
    """Return today's date in Asia/Kolkata."""
    return dt.datetime.now(tz=IST).date()


def ist_date(moment: dt.datetime) -> dt.date:
    """Return the Asia/Kolkata calendar date of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: business dates need an aware moment")
    return moment.astimezone(IST).date()


def one_month_before(day: dt.date) -> dt.date:
    """Return the same day of the previous calendar month (31 Mar → 28/29 Feb).

    A case may be fed only if detected on or before this date (DESIGN §4.3).
    """
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
