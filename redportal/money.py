"""Money and date helpers, as every app has imported them so far.

The helpers live in the leaf package ``core`` (DESIGN §2): ``core.money``
(the one amount parser, the one rounding helper, the formatter) and
``core.dates`` (IST business dates). This module re-exports them so that
``from redportal.money import …`` keeps working; new code imports ``core``.
"""

from __future__ import annotations

from decimal import Decimal

from core.dates import IST, ist_date, ist_day_start, one_month_before, today_ist
from core.money import (
    PAISE,
    RUPEE,
    AmountError,
    amount_from_cell,
    format_inr,
    group_indian,
    parse_amount,
    round_rupees,
    to_paise,
)

__all__ = [
    "IST", "PAISE", "RUPEE", "AmountError", "amount_from_cell", "format_inr", "group_indian",
    "ist_date", "ist_day_start", "one_month_before", "parse_amount", "parse_rupees",
    "round_rupees", "to_paise", "today_ist",
]


def parse_rupees(text: object) -> Decimal:
    """Read an amount by the rules of ``core.money.parse_amount`` (one parser).

    Kept for callers written before ``core.money``; spreadsheet floats are
    read as by ``amount_from_cell``. Raises ``AmountError`` (a ``ValueError``).
    """
    return amount_from_cell(text)
