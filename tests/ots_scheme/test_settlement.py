"""The settlement engine against DESIGN §4.2, without a database."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ots_scheme.settlement import (
    SCHEME_END,
    AlreadySettled,
    InvalidAmount,
    NotEligible,
    NotOpen,
    PhaseRule,
    QuoteError,
    SchemeRules,
    quote,
    quote_in_phase,
)

RULES = SchemeRules(
    code="OTS-THEFT-23",
    eligible_from=dt.date(2023, 1, 1),
    eligible_to=dt.date(2023, 12, 31),
    min_registration_fee=D("2000.00"),
    registration_percent=D("10.00"),
    phases=(
        PhaseRule(1, dt.date(2025, 12, 1), dt.date(2026, 1, 3), D("50.00")),
        PhaseRule(2, dt.date(2026, 1, 4), dt.date(2026, 1, 31), D("55.00")),
        PhaseRule(3, dt.date(2026, 2, 1), dt.date(2026, 2, 28), D("60.00")),
    ),
)


def q(assessment, compounding="0", deposited="0", on=dt.date(2025, 12, 15), **kw):
    return quote(RULES, assessment=D(assessment), compounding_fee=D(compounding),
                 deposited=D(deposited), on=on, **kw)


def test_design_sample_exactly():
    assert q("123456", "4000").as_json() == {
        "scheme": "OTS-THEFT-23", "phase": 1, "payable_percent": "50",
        "assessment": "123456.00", "assessment_payable": "61728.00", "waiver": "61728.00",
        "compounding_fee": "4000.00", "deposited": "0.00", "total_payable": "65728.00",
        "registration_fee": "12346.00", "balance": "53382.00",
    }


@pytest.mark.parametrize(
    ("on", "phase", "percent"),
    [
        (dt.date(2025, 12, 1), 1, "50"),
        (dt.date(2026, 1, 3), 1, "50"),
        (dt.date(2026, 1, 4), 2, "55"),
        (dt.date(2026, 1, 31), 2, "55"),
        (dt.date(2026, 2, 1), 3, "60"),
        (dt.date(2026, 2, 28), 3, "60"),
    ],
)
def test_both_sides_of_every_phase_boundary(on, phase, percent):
    result = q("100000", on=on)
    assert result.phase == phase
    assert result.as_json()["payable_percent"] == percent
    assert result.assessment_payable == D(percent) * 1000
    assert result.balance_due_date == RULES.phases[phase - 1].ends_on


@pytest.mark.parametrize("on", [dt.date(2025, 11, 30), dt.date(2026, 3, 1), dt.date(2024, 1, 1)])
def test_outside_every_phase_is_not_open(on):
    with pytest.raises(NotOpen) as info:
        q("100000", on=on)
    assert info.value.code == "not_open"
    assert info.value.params["opens_on"] == dt.date(2025, 12, 1)
    assert info.value.params["closes_on"] == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("assessment", "on", "payable", "fee"),
    [
        # 4001 × 50 % = 2000.50 → 2001 (half up, not banker's 2000).
        ("4001", dt.date(2025, 12, 15), "2001.00", "2000.00"),
        # 4003 × 50 % = 2001.50 → 2002.
        ("4003", dt.date(2025, 12, 15), "2002.00", "2000.00"),
        # 10 % of 20005 = 2000.50 → 2001 > 2000.
        ("20005", dt.date(2025, 12, 15), "10003.00", "2001.00"),
        # 10 % of 20004.99 = 2000.499 → 2000.
        ("20004.99", dt.date(2025, 12, 15), "10002.00", "2000.00"),
        # 55 % of 1001 = 550.55 → 551.
        ("1001", dt.date(2026, 1, 10), "551.00", "551.00"),
    ],
)
def test_half_up_rounding_of_the_two_products(assessment, on, payable, fee):
    result = q(assessment, on=on)
    assert result.assessment_payable == D(payable)
    assert result.registration_fee == D(fee)
    assert result.waiver == D(assessment) - D(payable)


def test_registration_fee_minimum_applies_to_a_mid_assessment():
    result = q("15000", "2000")
    assert result.total_payable == D("9500.00")
    assert result.registration_fee == D("2000.00")  # 10 % would be 1500
    assert result.balance == D("7500.00")


def test_small_assessment_fee_capped_at_total():
    result = q("1000", "0")
    assert result.total_payable == D("500.00")
    assert result.registration_fee == D("500.00")
    assert result.balance == D("0.00")


def test_small_assessment_with_compounding():
    result = q("1000", "1000")
    assert result.total_payable == D("1500.00")
    assert result.registration_fee == D("1500.00")
    assert result.balance == D("0.00")


def test_deposits_larger_than_payable_leave_only_compounding():
    result = q("100000", "4000", deposited="70000")
    assert result.assessment_payable == D("50000.00")
    assert result.net_assessment == D("0.00")
    assert result.total_payable == D("4000.00")
    assert result.registration_fee == D("4000.00")  # 10 % = 10000, capped at total
    assert result.balance == D("0.00")


def test_deposits_deducted():
    result = q("100000", "4000", deposited="12345.50")
    assert result.total_payable == D("41654.50")
    assert result.registration_fee == D("10000.00")
    assert result.balance == D("31654.50")


def test_paise_in_inputs():
    result = q("123456.75", "4000.25", deposited="100.10")
    # 61728.375 → 61728; 10 % = 12345.675 → 12346.
    assert result.assessment_payable == D("61728.00")
    assert result.waiver == D("61728.75")
    assert result.total_payable == D("65628.15")
    assert result.registration_fee == D("12346.00")
    assert result.balance == D("53282.15")
    assert result.as_json()["waiver"] == "61728.75"


def test_zero_assessment_and_zero_compounding():
    result = q("0", "0")
    assert (result.total_payable, result.registration_fee, result.balance) == (0, 0, 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [("assessment", "-1"), ("assessment", "abc"), ("compounding_fee", "-0.01"),
     ("deposited", "NaN"), ("assessment", "1.234"), ("assessment", "Infinity"),
     ("assessment", 12.5), ("deposited", None)],
)
def test_invalid_amounts_are_refused(field, value):
    amounts = {"assessment": "1000", "compounding_fee": "0", "deposited": "0", field: value}
    with pytest.raises(InvalidAmount) as info:
        quote(RULES, on=dt.date(2025, 12, 15), **amounts)
    assert info.value.code == "invalid_amount"
    assert info.value.params["field"] == field


def test_text_amounts_accepted():
    result = quote(RULES, assessment="123456", compounding_fee="4000", deposited="0",
                   on=dt.date(2025, 12, 15))
    assert result.total_payable == D("65728")


@pytest.mark.parametrize("detected", [dt.date(2022, 12, 31), dt.date(2024, 1, 1)])
def test_detection_outside_window_not_eligible(detected):
    with pytest.raises(NotEligible) as info:
        q("1000", detection_date=detected)
    assert info.value.params["detection_date"] == detected


@pytest.mark.parametrize("detected", [dt.date(2023, 1, 1), dt.date(2023, 12, 31)])
def test_detection_window_inclusive(detected):
    assert q("1000", detection_date=detected).phase == 1


def test_settled_case_refused():
    with pytest.raises(AlreadySettled):
        q("1000", settled=True, detection_date=dt.date(2023, 5, 1))


def test_every_refusal_is_a_quote_error_with_code():
    for cls in (InvalidAmount, NotOpen, NotEligible, AlreadySettled):
        assert issubclass(cls, QuoteError)
        assert cls.code


def test_scheme_end_deadline_setting():
    from dataclasses import replace

    rules = replace(RULES, balance_deadline=SCHEME_END)
    result = quote(rules, assessment=D("1000"), compounding_fee=D("0"), on=dt.date(2025, 12, 2))
    assert result.balance_due_date == dt.date(2026, 2, 28)


def test_other_scheme_data_other_percentages():
    rules = SchemeRules(
        code="OTS-THEFT-24", eligible_from=dt.date(2024, 1, 1), eligible_to=dt.date(2024, 12, 31),
        min_registration_fee=D("3000"), registration_percent=D("12.5"),
        phases=(PhaseRule(1, dt.date(2026, 6, 1), dt.date(2026, 6, 30), D("45.5")),),
    )
    result = quote(rules, assessment=D("100000"), compounding_fee=D("0"), on=dt.date(2026, 6, 5))
    assert result.as_json()["payable_percent"] == "45.5"
    assert result.assessment_payable == D("45500")
    assert result.registration_fee == D("12500")


# --- Invariants (hypothesis) ---------------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                    allow_infinity=False)
days = st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 2, 28))


@given(assessment=money, compounding=money, deposited=money, on=days)
def test_invariants(assessment, compounding, deposited, on):
    result = quote(RULES, assessment=assessment, compounding_fee=compounding,
                   deposited=deposited, on=on)
    assert result.registration_fee <= result.total_payable
    assert result.balance >= 0
    assert result.waiver + result.assessment_payable == result.assessment
    assert result.registration_fee + result.balance == result.total_payable
    assert result.total_payable >= result.compounding_fee


@given(assessment=money, compounding=money, deposited=money)
def test_later_phase_never_cheaper(assessment, compounding, deposited):
    totals = [
        quote_in_phase(RULES, phase, assessment=assessment, compounding_fee=compounding,
                       deposited=deposited)
        for phase in RULES.phases
    ]
    for earlier, later in zip(totals, totals[1:], strict=False):
        assert later.total_payable >= earlier.total_payable
        assert later.waiver <= earlier.waiver
