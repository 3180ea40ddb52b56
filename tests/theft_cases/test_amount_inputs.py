"""Amounts in case feeding: the case form, the edit form and the import (DESIGN §5).

``1e30`` and its kin are refused with a message and change nothing; an import
row with such an amount is a rejected row with its reason, never a stuck import.
"""

from decimal import Decimal

import pytest

from organization.models import OrgUnit
from tests.factories import TheftCaseFactory
from theft_cases.models import CaseImport, ImportStatus, TheftCase
from theft_cases.services import import_from_path

from .importfiles import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "case_number": "LKO/AMN/2023/0999", "detection_date": "2023-07-10",
        "sub_division": OrgUnit.objects.get(code="aminabad-1").pk,
        "name": "गीता देवी", "father_or_husband_name": "", "address": "5, नाका, लखनऊ",
        "account_number": "", "mobile": "9876543210", "category": "LMV-1",
        "theft_type": "direct", "load_kw": "1", "fir_number": "", "police_station": "",
        "assessment_amount": "1,23,456.50", "compounding_fee": "2000", "deposited_amount": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "typed", "english"),
    [("assessment_amount", "1e30", "Write the amount in full"),
     ("assessment_amount", "12,34", "commas are in the wrong places"),
     ("assessment_amount", "-0", "cannot be negative"),
     ("compounding_fee", "1E+26", "Write the amount in full"),
     ("deposited_amount", "1234567890123", "too large"),
     ("deposited_amount", "१2", "not both")],
)
def test_case_form_refuses_and_changes_nothing(as_user, field, typed, english):
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": "en"})
    response = client.post("/staff/cases/new/", form_data(**{field: typed}))
    assert response.status_code == 200
    form = response.context["form"]
    assert english in " ".join(form.errors[field])
    assert f'value="{typed}"' in response.content.decode()
    assert not TheftCase.objects.exists()


def test_case_form_shows_every_problem_at_once_in_hindi(as_user):
    client = as_user("je_aminabad")
    response = client.post("/staff/cases/new/",
                           form_data(assessment_amount="1e30", mobile="12345"))
    form = response.context["form"]
    assert "पूरे अंकों में" in " ".join(form.errors["assessment_amount"])
    assert len(form.errors["assessment_amount"]) == 1
    assert "mobile" in form.errors  # the row rules still ran
    assert not TheftCase.objects.exists()


def test_case_form_reads_devanagari_digits(as_user):
    client = as_user("je_aminabad")
    response = client.post("/staff/cases/new/",
                           form_data(assessment_amount="१,२३,४५६.५०", compounding_fee="₹2,000"))
    assert response.status_code == 302
    case = TheftCase.objects.get()
    assert case.assessment_amount == Decimal("123456.50")
    assert case.compounding_fee == Decimal("2000.00")


def test_edit_form_refuses_1e30_and_keeps_the_case(as_user, org_tree):
    case = TheftCaseFactory(case_number="LKO/AMN/2023/0500",
                            assessment_amount=Decimal("12345.00"))
    client = as_user("sdo_aminabad")
    url = f"{case.get_absolute_url()}edit/"
    page = client.get(url).content.decode()
    assert 'value="12345.00"' in page  # the stored amount, readable by the parser
    response = client.post(url, form_data(
        case_number=case.case_number, assessment_amount="1e30",
        detection_date=case.detection_date.isoformat(), name=case.consumer.name,
        address=case.consumer.address, category=case.category,
        theft_type=case.theft_type,
    ))
    assert response.status_code == 200
    assert "assessment_amount" in response.context["form"].errors
    case.refresh_from_db()
    assert case.assessment_amount == Decimal("12345.00")
    assert case.history.count() == 1


def _import(tmp_path, name, data, user):
    path = tmp_path / name
    path.write_bytes(data)
    return import_from_path(user=user, path=path, language="en")


@pytest.mark.parametrize(
    ("cell", "code"),
    [("1e30", "amount_exponent"), ("12,34", "amount_grouping"), ("-0", "negative_amount"),
     ("1.234", "amount_decimals"), ("NaN", "bad_amount"), ("٣٤", "amount_script")],
)
def test_csv_row_with_a_bad_amount_is_rejected_not_stuck(tmp_path, users, cell, code):
    rows = [good_row(1), good_row(2, assessment_amount=cell), good_row(3)]
    record = _import(tmp_path, "list.csv", csv_bytes(rows), users["je_aminabad"])
    assert record.status == ImportStatus.APPLIED
    assert (record.created_count, record.rejected_count) == (2, 1)
    [rejected] = record.rejected_rows
    assert rejected["line"] == 3 and rejected["codes"] == [code]
    assert not TheftCase.objects.filter(case_number=good_row(2)["case_number"]).exists()


def test_xlsx_numeric_cell_1e30_is_rejected_not_stuck(tmp_path, users):
    rows = [good_row(1, assessment_amount=4000.5), good_row(2, assessment_amount=1e30),
            good_row(3, compounding_fee=float("1e30")), good_row(4, deposited_amount=2000.505)]
    record = _import(tmp_path, "list.xlsx", xlsx_bytes(rows), users["je_aminabad"])
    assert record.status == ImportStatus.APPLIED
    assert record.created_count == 1
    assert {(r["line"], tuple(r["codes"])) for r in record.rejected_rows} == {
        (3, ("amount_too_large",)), (4, ("amount_too_large",)), (5, ("amount_decimals",)),
    }
    assert TheftCase.objects.get().assessment_amount == Decimal("4000.50")
    report = CaseImport.objects.get().error_report.read().decode("utf-8-sig")
    assert "amount too large" in report and "more than two decimals" in report


def test_every_amount_refusal_has_a_reason_text():
    from core.money import CODES
    from theft_cases import importing
    from theft_cases.rows import AMOUNT_REASONS

    assert set(AMOUNT_REASONS) == set(CODES)
    assert set(AMOUNT_REASONS.values()) <= set(importing.REASONS)
