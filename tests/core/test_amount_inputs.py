"""Every amount a person can type gives a quote or a clear message (DESIGN §5, §7).

The public calculator (home page and /ots/calculator/), ``ots_quote`` and the
staff filters read amounts with the one parser; the case form, the counter
form and the import have their own files beside their apps.
"""

import ast
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from common.forms import AMOUNT_MESSAGES, AmountField
from ots_scheme.forms import CalculatorForm

ROOT = Path(__file__).resolve().parents[2]


def figures(html, name):
    return re.findall(rf'data-figure="{name}">([^<]*)<', html)


def in_english(client):
    client.cookies.load({"django_language": "en"})
    return client


REFUSED = [
    # (typed, Hindi fragment, English fragment)
    ("1e30", "पूरे अंकों में", "Write the amount in full"),
    ("1E+26", "पूरे अंकों में", "Write the amount in full"),
    ("1e5", "पूरे अंकों में", "Write the amount in full"),  # not ₹1,00,000
    ("12,34", "अल्पविराम", "The commas are in the wrong places"),  # not ₹1,234
    ("-0", "ऋणात्मक नहीं", "cannot be negative"),  # not "-0.00"
    ("+5", "ऋणात्मक नहीं", "without a + or − sign"),
    ("1234567890123", "बहुत बड़ी", "too large"),
    ("٣٤", "०–९", "digits 0–9 or ०–९"),
    ("12.", "दोनों ओर", "both sides of the point"),
    ("NaN", "रुपये में राशि भरें", "Enter an amount in rupees"),
    ("1" * 10_000, "बहुत बड़ी", "too large"),
    ("₹", "रुपये में राशि भरें", "Enter an amount in rupees"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/ots/calculator/"])
@pytest.mark.parametrize(("typed", "hindi", "english"), REFUSED)
def test_public_calculator_refuses_with_a_message(client, schemes, url, typed, hindi, english):
    response = client.get(url, {"assessment": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "alert-danger" in html and hindi in html
    assert not figures(html, "total_payable")
    if len(typed) < 30:
        assert f'value="{typed}"' in html  # the typed text stays in the box
    response = in_english(client).get(url, {"assessment": typed})
    assert response.status_code == 200
    assert english in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["compounding_fee", "deposited"])
def test_every_calculator_box_uses_the_parser(client, schemes, field):
    response = in_english(client).post("/ots/calculator/", {"assessment": "1000", field: "1e30"},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Write the amount in full" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,23,456", "123,456", "₹1,23,456", "Rs. 123456",
                                   "१,२३,४५६", " 123456.00 "])
def test_public_calculator_reads_every_accepted_form(client, schemes, typed):
    html = client.get("/ots/calculator/", {"assessment": typed, "compounding_fee": "4000"}
                      ).content.decode()
    assert figures(html, "total_payable")[:3] == ["₹65,728.00", "₹71,901.00", "₹78,074.00"]


def run_quote(*argv):
    out = StringIO()
    code = 0
    try:
        call_command("ots_quote", *argv, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "typed", "fragment"),
    [("--assessment", "1e40", "Assessment “1e40”: Write the amount in full"),
     ("--assessment", "1E+26", "Write the amount in full"),
     ("--assessment", "12,34", "commas"),
     ("--assessment", "-0", "cannot be negative"),
     ("--compounding-fee", "1e30", "Compounding fee “1e30”"),
     ("--deposited", "NaN", "Earlier deposits “NaN”")],
)
def test_ots_quote_refuses_with_error_json(schemes, option, typed, fragment):
    argv = {"--assessment": "123456", "--compounding-fee": "4000", "--on": "2025-12-15"}
    argv[option] = typed
    code, out = run_quote(*[part for pair in argv.items() for part in pair])
    assert code == 2
    assert list(out) == ["error"]
    assert fragment in out["error"]


def test_ots_quote_1e40_as_a_real_process_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "ots_quote", "--assessment", "1e40",
         "--compounding-fee", "0", "--on", "2025-12-15"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "redportal.settings_test"},
    )
    assert result.returncode == 2
    assert json.loads(result.stdout) == {
        "error": "Assessment “1e40”: Write the amount in full, for example 1,00,000 (not 1e5)."
    }
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_staff_amount_filters_use_the_parser(as_user):
    client = in_english(as_user("je_aminabad"))
    for url in ("/staff/cases/?assessed_min=1e30", "/staff/cases/?assessed_max=12,34",
                "/staff/actions/?min_amount=1e30", "/staff/actions/?max_amount=-0"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/staff/actions/?min_amount=1,000&max_amount=1,00,000").status_code == 200


def test_core_is_a_leaf_without_django_or_app_imports():
    """DESIGN §2: ``core`` imports nothing but the standard library."""
    allowed = set(sys.stdlib_module_names) | {"core"}
    found = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] not in allowed]
    assert found == []


@settings(deadline=None, max_examples=200)
@given(st.text(st.sampled_from(list("0123456789०१२३४५६७८९,.eE+-_ ₹Rs")), max_size=25)
       | st.text(max_size=25))
def test_calculator_form_answers_every_text_with_a_quote_or_a_message(text):
    form = CalculatorForm({"assessment": text})
    if form.is_valid():
        assert form.cleaned_data["assessment"] >= 0
    else:
        assert form.errors["assessment"]


def test_amount_field_has_a_message_for_every_parser_code():
    from core.money import CODES

    assert set(AMOUNT_MESSAGES) == set(CODES)
    assert set(CODES) <= set(AmountField().error_messages)
