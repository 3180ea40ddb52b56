"""The calculator's phase cards drawn in Python (ots_scheme/templatetags/calculator.py).

The card tag replaced template markup (kept in replaced/ as it was): each
kind of card — the phase open today, a past one, one to come — is drawn both
ways, in Hindi and in English, byte for byte; the figures say what a person
pays, with Indian grouping.
"""

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.template import Context, Template, engines
from django.utils import translation

from common.markup import forget_kept as forget_all
from core.dates import today_ist
from core.money import format_inr
from ots_scheme.queries import calculator_schemes

pytestmark = pytest.mark.django_db

REPLACED = (Path(__file__).parent / "replaced" / "phase_card.html").read_text(encoding="utf-8")
AMOUNTS = {"assessment": D("1234567.50"), "compounding_fee": D("4000"), "deposited": D("10")}


def cells(today: dt.date) -> list[tuple[dict, object]]:
    return [(cell, row["version"]) for row in calculator_schemes(today=today, amounts=AMOUNTS)
            for cell in row["phases"]]


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_card_is_the_markup_it_replaced(schemes, language):
    today = today_ist()
    drawn = cells(today)
    assert {(c["is_current"], c["is_past"]) for c, _ in drawn} >= {(True, False)}
    for cell, version in drawn:
        context = {"cell": cell, "item": {"version": version}, "calculator_today": today}
        with translation.override(language):
            forget_all()
            old = engines["django"].from_string(REPLACED).render(
                {**context, "LANGUAGE_CODE": language})
            forget_all()
            new = Template("{% load calculator %}"
                           "{% phase_card cell item.version calculator_today %}").render(
                Context(context))
            again = Template("{% load calculator %}"
                             "{% phase_card cell item.version calculator_today %}").render(
                Context(context))  # the heading from the process copy
        assert new == old == again


def test_a_card_says_what_the_person_pays_in_their_language(schemes):
    today = today_ist()
    cell, version = next((c, v) for c, v in cells(today) if c["is_current"])
    source = "{% load calculator %}{% phase_card cell version today %}"
    context = Context({"cell": cell, "version": version, "today": today})
    with translation.override("en"):
        english = Template(source).render(context)
    with translation.override("hi"):
        hindi = Template(source).render(context)
    quote = cell["quote"]
    total = format_inr(quote.total_payable)
    assert re.fullmatch(r"₹\d{1,2},\d{2},\d{3}\.\d{2}", total)  # lakhs: 6,17,284.00
    assert f'data-figure="total_payable">{total}</dd>' in english
    assert f"Assessment payable {format_inr(quote.assessment_payable)} − deposits ₹10.00 + " \
           "compounding fee ₹4,000.00." in english
    assert "You pay in all" in english and ">now<" in english and "phase-current" in english
    assert "You pay in all" not in hindi and ">अभी<" in hindi and total in hindi
