"""``audit_ledger`` catches each fault of issue 12 when it is put back on purpose.

Each test builds a sound state through the real services (the audit finds
nothing), then writes the row a fault used to leave behind — straight to the
database, as a buggy module would — and asserts the audit names it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from core.dates import IST
from defaulters.models import ActionItem
from ots_scheme import registrations
from ots_scheme.models import Registration, RegistrationStatus
from payments import services
from payments.audit import audit_ledger
from payments.gateways.sandbox import bank_decide, deliver_callback
from payments.models import LedgerEntry, Payment, PaymentPurpose
from tests.factories import TheftCaseFactory

pytestmark = pytest.mark.django_db


def ist(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=IST)


def _register(case, scheme, at):
    with time_machine.travel(at, tick=False):
        return registrations.registration_create(
            case=case, scheme=scheme, applicant_name="Sita Devi", father_or_husband_name="",
            address="Aminabad", mobile="9876543210", declaration_accepted=True)


def _pay(registration, purpose, *, ordered, paid):
    with time_machine.travel(ordered, tick=False):
        payment = services.payment_start(registration=registration, purpose=purpose)
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount,
                paid_at=paid)
    assert deliver_callback(order_id=payment.order_id) == 200
    registration.refresh_from_db()
    return payment


def found(check: str) -> bool:
    return audit_ledger().counts.get(check, 0) > 0


@pytest.fixture
def fee_paid(org_tree, schemes):
    case = TheftCaseFactory(assessment_amount=D("100000"), compounding_fee=D("4000"))
    reg = _register(case, schemes["OTS-THEFT-23"], ist(2026, 1, 20, 10))
    _pay(reg, PaymentPurpose.REGISTRATION_FEE, ordered=ist(2026, 1, 20, 10, 1),
         paid=ist(2026, 1, 20, 10, 2))
    assert audit_ledger().counts == {}
    return reg


@pytest.fixture
def settled(fee_paid):
    _pay(fee_paid, PaymentPurpose.BALANCE, ordered=ist(2026, 1, 25, 10),
         paid=ist(2026, 1, 25, 10, 1))
    assert fee_paid.status == RegistrationStatus.SETTLED
    assert audit_ledger().counts == {}
    return fee_paid


def _set(registration, **fields):
    Registration.objects.filter(pk=registration.pk).update(**fields)


def test_fault_settled_short_phase_crossing(fee_paid):
    # The old freeze: settled on the frozen phase-2 figures with only the fee paid.
    _set(fee_paid, status=RegistrationStatus.SETTLED, balance=0)
    assert found("settled_short")


def test_fault_money_never_asked_for_after_assessment_change(fee_paid):
    # The old freeze kept balance = total − fee while less than the fee arrived.
    _set(fee_paid, total_payable=fee_paid.total_payable + 3000)
    assert found("balance_mismatch")


def test_fault_late_balance_settles(settled):
    balance = Payment.objects.get(registration=settled, purpose=PaymentPurpose.BALANCE)
    Payment.objects.filter(pk=balance.pk).update(paid_at=ist(2026, 2, 5, 12))
    assert found("late_balance_settled")


def test_fault_nothing_payable_is_a_dead_end(org_tree, schemes):
    reg = _register(TheftCaseFactory(), schemes["OTS-THEFT-23"], ist(2026, 1, 10, 10))
    _set(reg, total_payable=0, registration_fee=0, balance=0)
    assert found("nothing_due_unsettled")


def test_fault_backdated_counter_receipt(org_tree, schemes, users):
    reg = _register(TheftCaseFactory(), schemes["OTS-THEFT-23"], ist(2026, 1, 10, 10))
    with time_machine.travel(ist(2026, 1, 10, 12), tick=False):
        payment = services.counter_payment_record(
            registration=reg, purpose=PaymentPurpose.REGISTRATION_FEE, amount=D("12346"),
            mode="cash", receipt_number="CR-1", received_on=dt.date(2026, 1, 10),
            officer=users["je_aminabad"])
    assert audit_ledger().counts == {}
    Payment.objects.filter(pk=payment.pk).update(paid_at=ist(2025, 12, 2, 12))
    assert found("receipt_out_of_range")


def test_fault_paid_person_flagged_by_another_scheme(fee_paid, schemes):
    ActionItem.objects.create(case=fee_paid.case, scheme=schemes["DEMO-OTS-THEFT"],
                              sub_division=fee_paid.sub_division, reason="unregistered",
                              due_date=dt.date(2026, 2, 1))
    assert found("paid_but_flagged")


def test_fault_amounts_misread_or_misrounded(fee_paid):
    # 1e5 read as ₹1,00,000, or a second rounding helper: the frozen figures
    # no longer follow from the frozen inputs.
    _set(fee_paid, assessment=D("1000.00"))
    assert found("frozen_figures")


def test_fault_frozen_in_the_wrong_phase(fee_paid):
    _set(fee_paid, phase_number=1)
    assert found("phase_not_fee_day")


def test_fault_money_taken_but_not_credited(fee_paid):
    LedgerEntry.objects.filter(registration=fee_paid).delete()
    counts = audit_ledger().counts
    assert counts.get("payment_not_credited") == 1 and counts.get("credited_sum") == 1


def test_fault_money_on_a_rejected_registration_nobody_sees(fee_paid):
    _set(fee_paid, status=RegistrationStatus.REJECTED, held_reason="")
    assert found("held_unseen")


def test_fault_fee_paid_status_without_money(org_tree, schemes):
    reg = _register(TheftCaseFactory(), schemes["OTS-THEFT-23"], ist(2026, 1, 10, 10))
    _set(reg, status=RegistrationStatus.FEE_PAID)
    assert found("fee_paid_without_fee")
