"""Money: the one amount parser, the one rounding helper, the one formatter.

DESIGN §5 "Amounts": the import, every form, the calculator, ``ots_quote`` and
the API read an amount a person typed with :func:`parse_amount` and nothing
else, so ``1e5``, ``12,34`` and ``-0`` are refused everywhere alike instead of
being quietly read as ₹1,00,000, ₹1,234 or "-0.00".

Accepted: an optional leading ``₹``, ``Rs.`` or ``Rs`` (any case, with or
without a space after), then digits with no grouping, correct Indian grouping
(``1,23,456``, ``12,34,56,789``) or correct Western grouping (``123,456``,
``1,234,567``), then an optional ``.`` with one or two decimals. Digits may be
ASCII or Devanagari (``०``–``९``, which Hindi phone keyboards type), but not
both in one amount. Whitespace around the amount is ignored. At most 12 digits
before the point: the columns are ``DecimalField(max_digits=14,
decimal_places=2)`` (STYLE.md).

Refused, each with its own :attr:`AmountError.code` so the caller can say
exactly what is wrong in the reader's language:

============  ==============================================================
``empty``     nothing, or only ``₹`` / ``Rs.``
``sign``      ``+`` or a minus of any kind, even ``-0``: amounts are never
              negative and a typed sign is a misreading waiting to happen
``exponent``  ``1e5``, ``1E+26``
``space``     spaces or ``_`` inside the number (``1 000``, ``1_000``)
``grouping``  misplaced commas (``12,34``, ``1,2345``, ``,123``, ``123,``)
``point``     a point without digits on both sides (``12.``, ``.5``): one
              keystroke from a different amount, so it is asked for again
``decimals``  more than two decimals (paise are the smallest unit)
``too_large`` more than 12 digits before the point
``script``    digits of another script (Arabic-Indic, Bengali, fullwidth,
              superscripts…: anything ``str.isdigit`` that is neither ASCII
              nor Devanagari)
``mixed``     ASCII and Devanagari digits in one amount (``१2``)
``not_a_number``  anything else: words, NaN, Infinity, ``2000/-``, floats
              handed to :func:`parse_amount`
============  ==============================================================

``Decimal`` and ``int`` values (not ``bool``) pass the same range and decimals
checks. A float is never money: spreadsheet cells (openpyxl gives ``float`` for
numeric cells) go through the separate :func:`amount_from_cell`, which reads
the float's shortest ``repr`` and then applies the same checks.

DESIGN §4.2: the two products of the quote are rounded to whole rupees half up
(₹2,000.50 → ₹2,001), never banker's rounding — :func:`round_rupees`.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

PAISE = Decimal("0.01")
RUPEE = Decimal("1")
MAX_WHOLE_DIGITS = 12
MAX_AMOUNT = Decimal("999999999999.99")

CODES = (
    "empty", "sign", "exponent", "space", "grouping", "point", "decimals", "too_large",
    "script", "mixed", "not_a_number",
)

# Every sign a keyboard or a copy-paste brings: ASCII, the minus sign, dashes,
# hyphens, fullwidth and small forms, superscript and subscript.
_SIGNS = frozenset("+-\u2212\u2010\u2011\u2012\u2013\u2014\ufe62\ufe63\uff0b\uff0d"
                   "\u207a\u207b\u208a\u208b")
_DEVANAGARI_ZERO = 0x0966
_FROM_DEVANAGARI = str.maketrans({chr(_DEVANAGARI_ZERO + n): str(n) for n in range(10)})
_CURRENCY = re.compile(r"(?:₹|[Rr][Ss]\.?)")
# \d matches every script's decimal digits here; scripts are checked apart.
_EXPONENT = re.compile(r"[\d.,]+[eE][+\-\u2212]?\d+")
_INDIAN = re.compile(r"[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")
_WESTERN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
# The shapes nearly every amount has (ASCII digits, no grouping or a correct
# one, up to two decimals): read at once; anything else takes the full path.
_PLAIN = re.compile(r"([0-9]{1,12})(?:\.([0-9]{1,2}))?")
_GROUPED = re.compile(r"([0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}|[0-9]{1,3}(?:,[0-9]{3})+)"
                      r"(?:\.([0-9]{1,2}))?")


class AmountError(ValueError):
    """An amount refused by :func:`parse_amount`; ``code`` names the rule broken."""

    def __init__(self, code: str, value: object = ""):
        self.code = code
        self.value = value
        super().__init__(f"{code}: {value!r}")


def parse_amount(value: object) -> Decimal:
    """Return the rupee amount ``value`` with two decimals, or raise ``AmountError``.

    ``value`` is text as a person typed it, or a ``Decimal`` / ``int`` already
    held by the program. Never raises anything but ``AmountError``.
    """
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool) or isinstance(value, float):
        # True is not ₹1; a float is not money (use amount_from_cell).
        raise AmountError("not_a_number", value)
    if isinstance(value, int):
        return _checked(Decimal(value), value)
    if isinstance(value, Decimal):
        return _checked(value, value)
    if value is None:
        raise AmountError("empty", value)
    raise AmountError("not_a_number", value)


def amount_from_cell(value: object) -> Decimal:
    """Return the amount of a spreadsheet cell, or raise ``AmountError``.

    openpyxl gives numeric cells as ``float`` or ``int``: a float is read
    through its shortest ``repr`` (what the cell showed: 4000.5 → ``4000.5``,
    1e30 → too large) and then checked like any other amount. Text cells
    follow :func:`parse_amount` exactly.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AmountError("not_a_number", value)
        return _checked(Decimal(repr(value)), value)
    return parse_amount(value)


def _checked(number: Decimal, original: object) -> Decimal:
    """Apply the range and decimals rules to a number already read."""
    if not number.is_finite():
        raise AmountError("not_a_number", original)
    if number.is_zero():
        # Decimal("-0") from a computation is zero, not a typed sign.
        return Decimal("0.00")
    if number < 0:
        raise AmountError("sign", original)
    if number.adjusted() >= MAX_WHOLE_DIGITS:
        raise AmountError("too_large", original)
    # Room for any exponent a Decimal may carry (1E-40 has no paise either).
    with localcontext() as context:
        context.prec = 60
        rounded = number.quantize(PAISE)
        if rounded != number:
            raise AmountError("decimals", original)
    return rounded


def _parse_text(value: str) -> Decimal:
    text = value.strip()
    plain = _PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)
    if plain is not None:
        whole = plain.group(1).replace(",", "")
        if len(whole) <= MAX_WHOLE_DIGITS:
            return Decimal(f"{whole}.{plain.group(2) or '0'}").quantize(PAISE)
    if not text:
        raise AmountError("empty", value)
    if text[0] in _SIGNS:
        raise AmountError("sign", value)
    currency = _CURRENCY.match(text)
    if currency:
        text = text[currency.end():].lstrip()
        if not text:
            raise AmountError("empty", value)
    if _EXPONENT.fullmatch(text):
        raise AmountError("exponent", value)

    has_sign = has_space = has_foreign = False
    scripts = set()
    for char in text:
        if char.isdigit():
            if "0" <= char <= "9":
                scripts.add("ascii")
            elif "०" <= char <= "९":
                scripts.add("devanagari")
            else:
                has_foreign = True
        elif char in ",.":
            continue
        elif char in _SIGNS:
            has_sign = True
        elif char == "_" or char.isspace():
            has_space = True
        else:
            raise AmountError("not_a_number", value)
    if has_sign:
        raise AmountError("sign", value)
    if has_space:
        raise AmountError("space", value)
    if has_foreign:
        raise AmountError("script", value)
    if len(scripts) > 1:
        raise AmountError("mixed", value)
    if not scripts:
        # Only commas and points: "," or "." or ",.,".
        raise AmountError("not_a_number", value)

    text = text.translate(_FROM_DEVANAGARI)
    whole, point, fraction = text.partition(".")
    if "." in fraction:
        raise AmountError("not_a_number", value)
    if "," in fraction:
        raise AmountError("grouping", value)
    if "," in whole:
        if not (_INDIAN.fullmatch(whole) or _WESTERN.fullmatch(whole)):
            raise AmountError("grouping", value)
        whole = whole.replace(",", "")
    if point and (not whole or not fraction):
        raise AmountError("point", value)
    if len(fraction) > 2:
        raise AmountError("decimals", value)
    if len(whole) > MAX_WHOLE_DIGITS:
        raise AmountError("too_large", value)
    return Decimal(f"{whole}.{fraction or '0'}").quantize(PAISE)


def round_rupees(amount: Decimal | int) -> Decimal:
    """Round to whole rupees, half up, kept with two decimals (DESIGN §4.2).

    ₹2,000.50 → ``Decimal("2001.00")``; ₹2,000.49 → ``Decimal("2000.00")``.
    """
    if isinstance(amount, float):
        raise TypeError("round_rupees takes a Decimal, never a float")
    return Decimal(amount).quantize(RUPEE, rounding=ROUND_HALF_UP).quantize(PAISE)


def to_paise(amount: Decimal | int) -> Decimal:
    """Return the amount with exactly two decimals (half up)."""
    return Decimal(amount).quantize(PAISE, rounding=ROUND_HALF_UP)


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

    One formatter for pages, CSV and PDF, so every figure reads the same;
    :func:`parse_amount` reads back what it writes.
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
