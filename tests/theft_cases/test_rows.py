"""The import row validator (DESIGN §5), without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from core.mobile import normalise_mobile
from theft_cases.rows import CaseRow, RowError, parse_date, parse_row

TODAY = dt.date(2026, 3, 31)

GOOD = {
    "case_number": " LKO/AMN/2023/0123 ",
    "detection_date": "15-06-2023",
    "account_number": "1234567890",
    "name": "राम कुमार  ",
    "father_or_husband_name": "श्याम लाल",
    "address": "12/4, अमीनाबाद, लखनऊ",
    "mobile": "+91 98765 43210",
    "sub_division_code": "aminabad-1",
    "category": "LMV-1",
    "theft_type": "direct",
    "load_kw": "2",
    "fir_number": "FIR 12/2023",
    "police_station": "APTS Lucknow",
    "assessment_amount": "1,23,456.50",
    "compounding_fee": "",
    "deposited_amount": "2000",
}


def errors_of(**changes):
    result = parse_row({**GOOD, **changes}, today=TODAY)
    assert isinstance(result, list), result
    return {(e.column, e.reason) for e in result}


def test_good_row_is_parsed_and_trimmed():
    row = parse_row(GOOD, today=TODAY)
    assert isinstance(row, CaseRow)
    assert row.case_number == "LKO/AMN/2023/0123"
    assert row.name == "राम कुमार"
    assert row.detection_date == dt.date(2023, 6, 15)
    assert row.mobile == "9876543210"
    assert row.assessment_amount == Decimal("123456.50")
    assert row.compounding_fee == Decimal("0.00")
    assert row.deposited_amount == Decimal("2000.00")
    assert row.load_kw == Decimal("2.00")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"case_number": ""}, ("case_number", "required")),
        ({"case_number": "X" * 41}, ("case_number", "too_long")),
        ({"detection_date": ""}, ("detection_date", "required")),
        ({"detection_date": "31-02-2023"}, ("detection_date", "bad_date")),
        ({"detection_date": "June 2023"}, ("detection_date", "bad_date")),
        ({"detection_date": "01-04-2026"}, ("detection_date", "future_date")),
        # One calendar month before 31 Mar 2026 is 28 Feb 2026 (DESIGN §4.3).
        ({"detection_date": "01-03-2026"}, ("detection_date", "too_recent")),
        ({"account_number": "12345"}, ("account_number", "bad_account_number")),
        ({"account_number": "12345abcde"}, ("account_number", "bad_account_number")),
        ({"name": "  "}, ("name", "required")),
        ({"address": ""}, ("address", "required")),
        ({"mobile": "5876543210"}, ("mobile", "bad_mobile")),
        ({"mobile": "98765"}, ("mobile", "bad_mobile")),
        ({"sub_division_code": ""}, ("sub_division_code", "required")),
        ({"category": "LMV-11"}, ("category", "bad_category")),
        ({"category": ""}, ("category", "required")),
        ({"theft_type": "katiya"}, ("theft_type", "bad_theft_type")),
        ({"theft_type": ""}, ("theft_type", "required")),
        ({"load_kw": "-1"}, ("load_kw", "negative_load")),
        ({"load_kw": "two"}, ("load_kw", "bad_load")),
        ({"assessment_amount": ""}, ("assessment_amount", "required")),
        ({"assessment_amount": "-5"}, ("assessment_amount", "negative_amount")),
        ({"assessment_amount": "12a"}, ("assessment_amount", "bad_amount")),
        ({"assessment_amount": "=1+1"}, ("assessment_amount", "bad_amount")),
        ({"assessment_amount": "10.505"}, ("assessment_amount", "amount_decimals")),
        ({"assessment_amount": "1e5"}, ("assessment_amount", "amount_exponent")),
        ({"assessment_amount": "12,34"}, ("assessment_amount", "amount_grouping")),
        ({"assessment_amount": "-0"}, ("assessment_amount", "negative_amount")),
        ({"assessment_amount": 1e30}, ("assessment_amount", "amount_too_large")),
        ({"assessment_amount": "1" * 13}, ("assessment_amount", "amount_too_large")),
        ({"compounding_fee": "-1"}, ("compounding_fee", "negative_amount")),
        ({"deposited_amount": "abc"}, ("deposited_amount", "bad_amount")),
    ],
)
def test_each_rule_rejects(changes, expected):
    assert expected in errors_of(**changes)


def test_every_error_of_a_row_is_reported():
    assert errors_of(mobile="123", category="X", assessment_amount="-1") == {
        ("mobile", "bad_mobile"), ("category", "bad_category"),
        ("assessment_amount", "negative_amount"),
    }


@pytest.mark.parametrize("text", ["15-06-2023", "15/06/2023", "2023-06-15", "15-6-2023"])
def test_date_formats(text):
    assert parse_date(text) == dt.date(2023, 6, 15)


def test_spreadsheet_date_cells():
    assert parse_date(dt.datetime(2023, 6, 15, 0, 0)) == dt.date(2023, 6, 15)
    assert parse_date(45092) == dt.date(2023, 6, 15)  # Excel serial day number
    assert parse_date("2023-06-15 00:00:00") == dt.date(2023, 6, 15)


def test_one_month_boundary_is_allowed():
    row = parse_row({**GOOD, "detection_date": "28-02-2026"}, today=TODAY)
    assert isinstance(row, CaseRow)


@pytest.mark.parametrize(
    "text", ["9876543210", "+919876543210", "919876543210", "09876543210", "98765-43210",
             9876543210, 9876543210.0],
)
def test_mobile_normalised(text):
    assert normalise_mobile(text) == "9876543210"


def test_optional_fields_may_be_blank():
    row = parse_row({**GOOD, "account_number": "", "mobile": None, "load_kw": "",
                     "father_or_husband_name": "", "deposited_amount": ""}, today=TODAY)
    assert isinstance(row, CaseRow)
    assert row.load_kw is None and row.mobile == "" and row.deposited_amount == 0


def test_spreadsheet_numbers_and_loose_categories():
    row = parse_row({**GOOD, "account_number": 1234567890.0, "assessment_amount": 4000.5,
                     "category": "lmv 2", "theft_type": "Bypass"}, today=TODAY)
    assert isinstance(row, CaseRow)
    assert row.account_number == "1234567890"
    assert row.assessment_amount == Decimal("4000.50")
    assert row.category == "LMV-2" and row.theft_type == "bypass"


def test_formula_text_is_kept_as_text():
    row = parse_row({**GOOD, "name": "=HYPERLINK(\"x\")"}, today=TODAY)
    assert isinstance(row, CaseRow)
    assert row.name == "=HYPERLINK(\"x\")"


def test_row_error_is_plain_data():
    assert RowError("mobile", "bad_mobile") == RowError("mobile", "bad_mobile")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from core.money import format_inr  # noqa: E402


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_any_indian_style_amount_reads_back_exactly(amount):
    text = format_inr(amount, symbol=False)
    row = parse_row({**GOOD, "assessment_amount": text}, today=TODAY)
    assert isinstance(row, CaseRow)
    assert row.assessment_amount == amount


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_date_formats_agree(day):
    texts = [day.strftime("%d-%m-%Y"), day.strftime("%d/%m/%Y"), day.isoformat()]
    assert {parse_date(t) for t in texts} == {day}
