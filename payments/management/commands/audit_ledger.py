"""``manage.py audit_ledger``: check every money invariant of DESIGN §4.2a.

Prints ``{"checked": N, "violations": [...]}`` (with the counts per check
and the seconds taken) and exits 1 when any invariant is broken. Reads only.
"""

import sys

from common.commands import JsonCommand
from payments.audit import audit_ledger
from payments.services import audit_run_record


class Command(JsonCommand):
    help = "Check the money invariants over all registrations and payments (read-only)."

    def add_arguments(self, parser):
        parser.add_argument("--record", action="store_true",
                            help="also keep the result for the Director's dashboard")

    def handle(self, *args, **options):
        result = audit_ledger()
        if options["record"]:
            audit_run_record(result=result)
        self.emit(result.as_json())
        if result.total_violations:
            sys.exit(1)
