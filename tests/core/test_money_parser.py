"""The one amount parser and the one rounding helper (DESIGN §5 "Amounts", §4.2).

Pure: no database, no Django. Every form a person may type is in one of the
two tables below; a form not listed is covered by the Hypothesis tests.
"""

from decimal import Decimal as D

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.money import (
    CODES,
    MAX_AMOUNT,
    AmountError,
    amount_from_cell,
    format_inr,
    parse_amount,
    round_rupees,
)

ACCEPTED = [
    ("123456", "123456.00"),
    ("123456.5", "123456.50"),
    ("123456.50", "123456.50"),
    ("1,23,456", "123456.00"),
    ("12,34,56,789.05", "123456789.05"),
    ("1,000", "1000.00"),
    ("123,456", "123456.00"),
    ("1,234,567.8", "1234567.80"),
    ("12,345,678", "12345678.00"),
    ("₹1,23,456", "123456.00"),
    ("₹ 2,000", "2000.00"),
    ("Rs. 2000", "2000.00"),
    ("Rs.2000", "2000.00"),
    ("Rs 2000", "2000.00"),
    ("rs.500", "500.00"),
    ("RS 500", "500.00"),
    ("१२३४५६", "123456.00"),
    ("१,२३,४५६.५०", "123456.50"),
    ("₹१,०००", "1000.00"),
    ("0", "0.00"),
    ("0.00", "0.00"),
    ("007", "7.00"),
    (" 42 ", "42.00"),
    ("\t42\n", "42.00"),
    ("\xa042\u2009", "42.00"),  # no-break and thin spaces around
    ("999999999999.99", "999999999999.99"),  # 12 digits: the column's limit
]

REFUSED = [
    ("-0", "sign"),
    ("-5", "sign"),
    ("+5", "sign"),
    ("−5", "sign"),  # U+2212 minus sign
    ("–5", "sign"),  # en dash, as word processors write a minus
    ("₹-5", "sign"),
    ("Rs. +5", "sign"),
    ("5-", "sign"),
    ("1e5", "exponent"),
    ("1E+26", "exponent"),
    ("1e30", "exponent"),
    ("1.5e-3", "exponent"),
    ("₹1e5", "exponent"),
    ("1 000", "space"),
    ("1_000", "space"),
    ("1\xa0000", "space"),
    ("12 34 56", "space"),
    ("12,34", "grouping"),
    ("1,2345", "grouping"),
    (",123", "grouping"),
    ("123,", "grouping"),
    ("1,23,456,789", "grouping"),  # Indian then Western
    ("1,,000", "grouping"),
    ("1.000,50", "grouping"),  # European
    ("12.", "point"),
    (".5", "point"),
    ("₹.50", "point"),
    ("1.234", "decimals"),
    ("10.505", "decimals"),
    ("1234567890123", "too_large"),  # 13 digits
    ("1,23,45,67,89,01,234", "too_large"),
    ("٣٤", "script"),  # Arabic-Indic
    ("১২", "script"),  # Bengali
    ("１２", "script"),  # fullwidth
    ("²", "script"),  # superscript: isdigit, not a decimal digit
    ("१2", "mixed"),
    ("NaN", "not_a_number"),
    ("nan", "not_a_number"),
    ("Infinity", "not_a_number"),
    ("inf", "not_a_number"),
    ("sNaN", "not_a_number"),
    ("abc", "not_a_number"),
    ("12a", "not_a_number"),
    ("=1+1", "not_a_number"),
    ("2000/-", "not_a_number"),
    ("0x10", "not_a_number"),
    ("1.2.3", "not_a_number"),
    (".", "not_a_number"),
    (",", "not_a_number"),
    ("\x00", "not_a_number"),
    ("5 ₹", "not_a_number"),
    ("", "empty"),
    ("   ", "empty"),
    ("₹", "empty"),
    ("Rs.", "empty"),
    ("Rs", "empty"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted(text, expected):
    amount = parse_amount(text)
    assert amount == D(expected)
    assert str(amount) == expected  # always two decimals


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_refused(text, code):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert info.value.code == code
    assert info.value.code in CODES
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("123456.5"), "123456.50"), (D("1E+2"), "100.00"), (0, "0.00"), (123456, "123456.00"),
     (D("-0"), "0.00"), (D("-0.00"), "0.00"), (D("0E+40"), "0.00"), (MAX_AMOUNT, str(MAX_AMOUNT))],
)
def test_numbers_from_the_program(value, expected):
    # A computed Decimal("-0") is zero, not a typed sign.
    assert str(parse_amount(value)) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [(D("-5"), "sign"), (-1, "sign"), (D("1E+12"), "too_large"), (10**12, "too_large"),
     (D("1E+30"), "too_large"), (D("1.234"), "decimals"), (D("1E-40"), "decimals"),
     (D("NaN"), "not_a_number"), (D("sNaN"), "not_a_number"), (D("Infinity"), "not_a_number"),
     (True, "not_a_number"), (False, "not_a_number"), (4000.5, "not_a_number"),
     (None, "empty"), ([1], "not_a_number"), (b"12", "not_a_number")],
)
def test_numbers_from_the_program_refused(value, code):
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(4000.5, "4000.50"), (4000.0, "4000.00"), (123456, "123456.00"), (0.1, "0.10"),
     (-0.0, "0.00"), (999999999999.99, "999999999999.99"), ("1,23,456.50", "123456.50"),
     (D("12.5"), "12.50")],
)
def test_spreadsheet_cells(cell, expected):
    assert str(amount_from_cell(cell)) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [(1e30, "too_large"), (1e12, "too_large"), (float("inf"), "not_a_number"),
     (float("nan"), "not_a_number"), (-5.0, "sign"), (0.1 + 0.2, "decimals"),
     (1e-05, "decimals"), ("1e30", "exponent"), (None, "empty"), (True, "not_a_number")],
)
def test_spreadsheet_cells_refused(cell, code):
    with pytest.raises(AmountError) as info:
        amount_from_cell(cell)
    assert info.value.code == code


# --- Properties ---------------------------------------------------------------------
# No deadline: the machine is shared, and a slow example is not a wrong one.

AMOUNT_ALPHABET = st.sampled_from(
    list("0123456789०१२३४५६७८९,.,. eE+-−_₹Rrs") + ["٣", "১", "１", "²", "\xa0", "\x00", "/"]
)


@settings(deadline=None)
@given(st.one_of(st.text(), st.text(AMOUNT_ALPHABET, max_size=30)))
@example("1" * 10_000)
@example("9" * 13 + ".99")
@example("1e999999999")
@example("₹" * 50)
def test_parser_raises_only_its_own_error(text):
    try:
        amount = parse_amount(text)
    except AmountError as error:
        assert error.code in CODES
    else:
        assert D(0) <= amount <= MAX_AMOUNT
        assert amount == amount.quantize(D("0.01"))
        assert amount.as_tuple().exponent == -2


@settings(deadline=None)
@given(st.one_of(st.floats(), st.integers(), st.none(), st.booleans(),
                 st.decimals(allow_nan=True, allow_infinity=True)))
def test_cells_raise_only_the_parser_error(cell):
    try:
        amount = amount_from_cell(cell)
    except AmountError as error:
        assert error.code in CODES
    else:
        assert D(0) <= amount <= MAX_AMOUNT


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2))
def test_formatted_amounts_read_back_exactly(amount):
    assert parse_amount(format_inr(amount, symbol=False)) == amount
    assert parse_amount(format_inr(amount)) == amount  # with ₹
    assert parse_amount(f"{amount:f}") == amount
    devanagari = format_inr(amount, symbol=False).translate(
        str.maketrans("0123456789", "०१२३४५६७८९"))
    assert parse_amount(devanagari) == amount


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2))
def test_western_grouping_reads_back_exactly(amount):
    assert parse_amount(f"{amount:,.2f}") == amount


# --- The one rounding helper ----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("2000.50", "2001.00"), ("2001.50", "2002.00"), ("2000.49", "2000.00"),
     ("61728", "61728.00"), ("0.5", "1.00"), ("12345.6", "12346.00"), ("0", "0.00")],
)
def test_round_rupees_half_up_with_two_decimals(amount, expected):
    rounded = round_rupees(D(amount))
    assert str(rounded) == expected


def test_round_rupees_refuses_floats():
    with pytest.raises(TypeError):
        round_rupees(2000.5)


def test_one_rounding_helper_everywhere():
    from ots_scheme import settlement
    from redportal import money

    assert settlement.round_rupees is round_rupees
    assert money.round_rupees is round_rupees
    assert money.format_inr is format_inr and money.parse_amount is parse_amount
