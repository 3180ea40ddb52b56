"""Jurisdiction is one gate (STYLE.md): staff views and forms never query a
scoped model except through ``organization.scoping.visible_to``.

A rule enforced by a test rather than by memory: a new staff view that reads
``TheftCase.objects…`` directly fails here.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAFF_MODULES = [
    "theft_cases/views.py", "theft_cases/forms.py", "defaulters/views.py",
    "defaulters/forms.py", "ots_scheme/staff_views.py", "ots_scheme/staff_forms.py",
    "dashboard/views.py", "consumers/staff_views.py",
]
SCOPED = ("TheftCase", "Registration", "Payment", "ActionItem", "ActionRecord", "CaseImport",
          "Consumer", "MobileChangeRequest")
QUERY = re.compile(r"\b(" + "|".join(SCOPED) + r")\.objects\b")
# Reads that must look across the whole discom, each with its reason.
ALLOWED = {
    # Case numbers are unique across the discom (DESIGN §5): the check must
    # see every unit; it answers only "taken", never the case itself.
    ("theft_cases/forms.py", "TheftCase.objects.filter(case_number__iexact=number).exists()"),
}


def offending_lines(path: str, *, root: Path = ROOT) -> list[str]:
    found = []
    for number, line in enumerate((root / path).read_text(encoding="utf-8").splitlines(), 1):
        if QUERY.search(line) and "visible_to(" not in line:
            if not any(path == p and snippet in line for p, snippet in ALLOWED):
                found.append(f"{path}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("path", [p for p in STAFF_MODULES if (ROOT / p).exists()])
def test_staff_module_reads_scoped_models_only_through_visible_to(path):
    assert offending_lines(path) == []


def test_the_check_catches_a_direct_query(tmp_path):
    (tmp_path / "leaky_views.py").write_text(
        "def v(request):\n    return TheftCase.objects.all()\n"
        "def w(request):\n    return visible_to(request.user, TheftCase.objects.all())\n",
        encoding="utf-8",
    )
    assert offending_lines("leaky_views.py", root=tmp_path) == [
        "leaky_views.py:2: return TheftCase.objects.all()"
    ]


APP_DIRS = ["consumers", "dashboard", "defaulters", "organization", "ots_scheme", "payments",
            "theft_cases"]
LOCK_OVER_JOIN = re.compile(r"select_for_update\((?![^)]*\bof=)[^)]*\)[\s\S]{0,80}?select_related|"
                            r"select_related\([^)]*\)[\s\S]{0,80}?select_for_update\((?![^)]*\bof=)")


def test_row_locks_over_joins_name_their_table():
    """``select_for_update`` with ``select_related`` locks every joined row on
    PostgreSQL unless ``of=`` names the tables: the load bench deadlocked on
    the shared sub-division row that way. Name them."""
    found = []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]!r}"
                      for m in LOCK_OVER_JOIN.finditer(text)]
    assert found == []
