"""The API reads scoped models only through the scoping gate (STYLE.md).

The staff rule of ``tests/core/test_architecture.py`` for the machine
clients' gate: every ``Model.objects`` read of a scoped model in the API's
views goes through ``visible_in`` (or the gate's unit list).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCOPED = ("TheftCase", "Registration", "Payment", "LedgerEntry", "ActionItem", "Consumer")
QUERY = re.compile(r"\b(" + "|".join(SCOPED) + r")\.objects\b")
GATES = ("visible_in(", "unit_ids_within(")
# Correlated subqueries narrowed by the (scoped) outer case row.
ALLOWED = ('Registration.objects.filter(case=OuterRef("pk")',)


def test_api_reads_scoped_models_only_through_the_gate():
    found = []
    paths = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "api" / "views").glob("*.py"))
    for path in [*paths, "api/queries.py"]:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if QUERY.search(line) and not any(g in line for g in GATES) \
                    and not any(a in line for a in ALLOWED):
                found.append(f"{path}:{number}: {line.strip()}")
    assert found == []
