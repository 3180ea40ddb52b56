"""``flag_defaulters [--today YYYY-MM-DD]``: the flagging sweep (DESIGN §3, §4.4).

Lapses registrations unpaid after their balance deadline, then flags the
unregistered defaulters and clears the flags of those who registered.
Prints ``{"flagged", "cleared", "already_flagged", "lapsed", "today"}``.
"""

import datetime as dt

from common.commands import CommandInputError, JsonCommand
from core.dates import today_ist
from defaulters.flagging import run_sweep


class Command(JsonCommand):
    help = "Flag unregistered defaulters and clear the flags of those who registered."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", default="", help="run as on this date (YYYY-MM-DD); default today in IST"
        )

    def handle(self, *args, **options):
        text = (options.get("today") or "").strip()
        if text:
            try:
                today = dt.date.fromisoformat(text)
            except ValueError:
                raise CommandInputError(
                    f"--today must be a date as YYYY-MM-DD, not {text!r}"
                ) from None
        else:
            today = today_ist()
        counts = run_sweep(today=today)
        self.emit({**counts, "today": today.isoformat()})
