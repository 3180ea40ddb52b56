"""`ots_quote` prints DESIGN §3's JSON; bad input → {"error"} and exit 2."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SAMPLE = {
    "scheme": "OTS-THEFT-23", "phase": 1, "payable_percent": "50", "assessment": "123456.00",
    "assessment_payable": "61728.00", "waiver": "61728.00", "compounding_fee": "4000.00",
    "deposited": "0.00", "total_payable": "65728.00", "registration_fee": "12346.00",
    "balance": "53382.00",
}


def run(*argv):
    out = StringIO()
    code = 0
    try:
        call_command("ots_quote", *argv, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def test_design_sample_exactly(schemes):
    assert run("--assessment", "123456", "--compounding-fee", "4000",
               "--on", "2025-12-15") == (0, SAMPLE)


@pytest.mark.parametrize(
    ("on", "phase", "percent", "total"),
    [("2026-01-03", 1, "50", "65728.00"), ("2026-01-04", 2, "55", "71901.00"),
     ("2026-02-28", 3, "60", "78074.00")],
)
def test_phases_by_date(schemes, on, phase, percent, total):
    code, out = run("--assessment", "123456", "--compounding-fee", "4000", "--on", on)
    assert code == 0
    assert (out["phase"], out["payable_percent"], out["total_payable"]) == (phase, percent, total)


def test_deposits_and_indian_grouping(schemes):
    code, out = run("--assessment", "1,23,456.50", "--compounding-fee", "4000",
                    "--deposited", "1000.25", "--on", "2025-12-15")
    assert code == 0
    assert out["assessment"] == "123456.50"
    assert out["assessment_payable"] == "61728.00"  # 61728.25 → 61728
    assert out["total_payable"] == "64727.75"
    assert out["balance"] == "52381.75"


def test_demo_scheme(schemes):
    start = schemes["DEMO-OTS-THEFT"].phases.get(number=1).starts_on
    code, out = run("--assessment", "1000", "--compounding-fee", "0",
                    "--on", start.isoformat(), "--scheme", "DEMO-OTS-THEFT")
    assert code == 0
    assert out["scheme"] == "DEMO-OTS-THEFT"
    assert out["registration_fee"] == "500.00"  # capped at the total


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--assessment", "-1", "--compounding-fee", "0", "--on", "2025-12-15"], "Assessment"),
        (["--assessment", "abc", "--compounding-fee", "0", "--on", "2025-12-15"], "abc"),
        (["--assessment", "1", "--compounding-fee", "1.234", "--on", "2025-12-15"],
         "Compounding fee"),
        (["--assessment", "1", "--compounding-fee", "0", "--deposited", "-3",
          "--on", "2025-12-15"], "Earlier deposits"),
        (["--assessment", "1", "--compounding-fee", "0", "--on", "2026-03-01"], "not open"),
        (["--assessment", "1", "--compounding-fee", "0", "--on", "2025-11-30"], "not open"),
        (["--assessment", "1", "--compounding-fee", "0", "--on", "15-12-2025"], "YYYY-MM-DD"),
        (["--assessment", "1", "--compounding-fee", "0", "--on", "2025-12-15",
          "--scheme", "OTS-NONE"], "OTS-NONE"),
    ],
)
def test_bad_input(schemes, argv, fragment):
    code, out = run(*argv)
    assert code == 2
    assert list(out) == ["error"]
    assert fragment in out["error"]
