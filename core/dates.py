"""Business dates: calendar days in Asia/Kolkata (DESIGN §3, §4.2).

A payment at 00:30 IST on 4 Jan 2026 is 3 Jan in UTC; every rule that speaks
of "the day" means the IST day, so every "today" and every day boundary comes
from here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")


def today_ist() -> dt.date:
    """Return today's date in Asia/Kolkata."""
    return dt.datetime.now(tz=IST).date()


def ist_date(moment: dt.datetime) -> dt.date:
    """Return the Asia/Kolkata calendar date of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: business dates need an aware moment")
    return moment.astimezone(IST).date()


def ist_day_start(day: dt.date) -> dt.datetime:
    """Return 00:00 IST of ``day`` as an aware datetime (18:30 UTC the day before).

    The end of a day is the start of the next: ``ist_day_start(day + 1 day)``.
    """
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=IST)


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
