"""The money invariants of DESIGN §4.2a, each fault of issue 12 as a test.

Money arrives through the real services and the signed sandbox callback, at
the exact IST boundaries (00:00 IST is 18:30 UTC the day before), and every
test ends with ``audit_ledger`` finding nothing wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.dates import IST
from defaulters import flagging
from defaulters.models import ActionItem, ActionStatus
from ots_scheme import registrations
from ots_scheme.models import HeldReason, Registration, RegistrationStatus
from payments import services
from payments.audit import audit_ledger
from payments.gateways.sandbox import bank_decide, deliver_callback
from payments.models import LedgerEntry, LedgerKind, Payment, PaymentPurpose
from tests.factories import TheftCaseFactory
from theft_cases.models import CaseStatus

pytestmark = pytest.mark.django_db


def ist(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=IST)


def register(case, scheme, *, at: dt.datetime) -> Registration:
    with time_machine.travel(at, tick=False):
        return registrations.registration_create(
            case=case, scheme=scheme, applicant_name="सीता देवी", father_or_husband_name="राम",
            address="अमीनाबाद, लखनऊ", mobile="9876543210", declaration_accepted=True,
        )


def order(registration, purpose, *, at: dt.datetime) -> Payment:
    with time_machine.travel(at, tick=False):
        return services.payment_start(registration=registration, purpose=purpose)


def bank_pays(payment: Payment, *, at: dt.datetime) -> int:
    """The bank takes the money at ``at`` and its signed callback arrives."""
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount,
                paid_at=at)
    return deliver_callback(order_id=payment.order_id)


def assert_audit_clean():
    result = audit_ledger()
    assert result.counts == {}, result.violations


def certificate_text(client, registration) -> str | None:
    session = client.session
    session["ots_registrations"] = [registration.registration_number]
    session.save()
    response = client.get(reverse("payments:certificate",
                                  args=[registration.registration_number]))
    if response.status_code == 404:
        return None
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def ots23(schemes):
    return schemes["OTS-THEFT-23"]


# --- 1. A fee paid after midnight IST is frozen in phase 2 and never settles short ----

def test_fee_crossing_into_phase_two_leaves_a_balance_and_no_certificate(
        client, org_tree, ots23):
    case = TheftCaseFactory(assessment_amount=D("3000"), compounding_fee=D("0"))
    reg = register(case, ots23, at=ist(2026, 1, 3, 22, 0))
    fee_order = order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 1, 3, 23, 50))
    assert fee_order.amount == D("1500.00")  # phase 1: 50 % of ₹3,000, all of it the fee
    assert fee_order.expires_at == ist(2026, 1, 4, 0, 0)

    # The bank takes the money at 00:30 IST on 4 Jan (18:00 UTC on 3 Jan).
    assert bank_pays(fee_order, at=ist(2026, 1, 4, 0, 30)) == 200

    reg.refresh_from_db()
    assert reg.phase_number == 2 and reg.total_payable == D("1650.00")
    assert reg.credited == D("1500.00")
    assert reg.status == RegistrationStatus.FEE_PAID  # not settled: ₹150 still due
    assert reg.balance == D("150.00")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert certificate_text(client, reg) is None
    assert_audit_clean()

    balance = order(reg, PaymentPurpose.BALANCE, at=ist(2026, 1, 10, 11, 0))
    assert balance.amount == D("150.00")
    bank_pays(balance, at=ist(2026, 1, 10, 11, 5))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SETTLED and reg.credited == D("1650.00")
    text = certificate_text(client, reg)
    assert "₹1,650.00" in text  # total payable = total paid
    assert_audit_clean()


def test_fee_at_2359_ist_stays_in_phase_one(org_tree, ots23):
    case = TheftCaseFactory(assessment_amount=D("3000"), compounding_fee=D("0"))
    reg = register(case, ots23, at=ist(2026, 1, 3, 22, 0))
    fee_order = order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 1, 3, 23, 50))
    bank_pays(fee_order, at=ist(2026, 1, 3, 23, 59, 59))
    reg.refresh_from_db()
    assert reg.phase_number == 1 and reg.status == RegistrationStatus.SETTLED
    assert_audit_clean()


# --- 2. The assessment rises while a fee order is open: the difference is asked for ----

def test_assessment_change_during_open_order_is_part_of_the_balance(org_tree, schemes):
    from ots_scheme import services as settlement

    demo = schemes["DEMO-OTS-THEFT"]
    opens = demo.phases.get(number=1).starts_on
    case = TheftCaseFactory(assessment_amount=D("12345"), compounding_fee=D("1500"))
    reg = register(case, demo, at=ist(opens.year, opens.month, opens.day, 10))
    fee_order = order(reg, PaymentPurpose.REGISTRATION_FEE,
                      at=ist(opens.year, opens.month, opens.day, 10, 5))
    assert fee_order.amount == D("2000.00")
    # Staff correct the assessment while the person is at the bank.
    case.assessment_amount = D("50000")
    case.save()
    settlement.case_registrations_recompute(case_id=case.pk)

    bank_pays(fee_order, at=ist(opens.year, opens.month, opens.day, 10, 20))

    reg.refresh_from_db()
    assert reg.registration_fee == D("5000.00") and reg.total_payable == D("26500.00")
    assert reg.credited == D("2000.00")
    assert reg.balance == D("24500.00")  # ₹26,500 − ₹2,000: the ₹3,000 is not lost
    balance = order(reg, PaymentPurpose.BALANCE, at=ist(opens.year, opens.month, opens.day, 11))
    assert balance.amount == D("24500.00")
    assert_audit_clean()


# --- 3. A balance after the deadline lapses the registration, stays credited ----

@pytest.fixture
def fee_paid_in_phase_two(org_tree, ots23):
    case = TheftCaseFactory(assessment_amount=D("100000"), compounding_fee=D("4000"))
    reg = register(case, ots23, at=ist(2026, 1, 20, 10))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 1, 20, 10, 5)),
              at=ist(2026, 1, 20, 10, 6))
    reg.refresh_from_db()
    assert reg.balance_due_date == dt.date(2026, 1, 31)
    return reg


def test_balance_a_second_after_midnight_ist_of_the_deadline_lapses(fee_paid_in_phase_two):
    reg = fee_paid_in_phase_two
    balance = order(reg, PaymentPurpose.BALANCE, at=ist(2026, 1, 31, 23, 0))
    # 00:00:01 IST on 1 Feb is 18:30:01 UTC on 31 Jan.
    bank_pays(balance, at=ist(2026, 2, 1, 0, 0, 1))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.LAPSED
    assert reg.held_reason == HeldReason.LATE_BALANCE
    assert reg.credited == reg.total_payable  # the money stays credited
    reg.case.refresh_from_db()
    assert reg.case.status != CaseStatus.SETTLED
    assert list(registrations.needing_attention(Registration.objects.all())) == [reg]
    assert_audit_clean()


def test_balance_paid_five_days_late_before_the_sweep_does_not_settle(fee_paid_in_phase_two):
    reg = fee_paid_in_phase_two
    balance = order(reg, PaymentPurpose.BALANCE, at=ist(2026, 1, 30, 9))
    bank_pays(balance, at=ist(2026, 2, 5, 12))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.LAPSED
    assert_audit_clean()


def test_balance_at_2359_ist_on_the_deadline_settles(fee_paid_in_phase_two):
    reg = fee_paid_in_phase_two
    balance = order(reg, PaymentPurpose.BALANCE, at=ist(2026, 1, 31, 23, 0))
    bank_pays(balance, at=ist(2026, 1, 31, 23, 59, 59))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SETTLED
    assert_audit_clean()


def test_staff_accept_a_late_balance_and_the_audit_agrees(fee_paid_in_phase_two, users):
    from ots_scheme import lifecycle

    reg = fee_paid_in_phase_two
    bank_pays(order(reg, PaymentPurpose.BALANCE, at=ist(2026, 1, 31, 23)),
              at=ist(2026, 2, 2, 9))
    lifecycle.registration_held_apply(registration=reg, officer=users["sdo_aminabad"],
                                      note="Bank delay, accepted by SDO")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SETTLED and reg.held_reason == ""
    assert reg.held_applied_by == users["sdo_aminabad"]
    assert_audit_clean()


# --- 4. Total payable ₹0 settles on registration with a certificate ----

def test_nothing_payable_settles_on_registration(client, org_tree, ots23):
    case = TheftCaseFactory(assessment_amount=D("10000"), compounding_fee=D("0"),
                            deposited_amount=D("6000"))
    reg = register(case, ots23, at=ist(2026, 1, 10, 10))
    assert reg.status == RegistrationStatus.SETTLED
    assert reg.total_payable == D("0.00") and reg.credited == D("0.00")
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED
    text = certificate_text(client, reg)
    assert reg.registration_number in text and "₹0.00" in text
    with pytest.raises(services.PaymentError):
        services.payment_start(registration=reg, purpose=PaymentPurpose.REGISTRATION_FEE)
    assert_audit_clean()


# --- 5. A backdated counter receipt cannot buy an earlier phase ----

@pytest.mark.parametrize("received_on", [dt.date(2026, 1, 3), dt.date(1, 1, 1)])
def test_counter_receipt_before_the_registration_is_refused(as_user, org_tree, ots23,
                                                            received_on):
    reg = register(TheftCaseFactory(), ots23, at=ist(2026, 1, 10, 10))
    with time_machine.travel(ist(2026, 1, 12, 11), tick=False):
        client = as_user("je_aminabad")
        response = client.post(
            reverse("payments:counter_payment", args=[reg.registration_number]),
            {"purpose": PaymentPurpose.REGISTRATION_FEE, "amount": "12346", "mode": "cash",
             "receipt_number": "AMN/CR/9", "received_on": received_on.isoformat()})
    assert response.status_code == 200
    assert Payment.objects.count() == 0
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_counter_receipt_on_the_day_of_submission_is_accepted(users, org_tree, ots23):
    reg = register(TheftCaseFactory(), ots23, at=ist(2026, 1, 10, 10))
    with time_machine.travel(ist(2026, 1, 12, 11), tick=False):
        services.counter_payment_record(
            registration=reg, purpose=PaymentPurpose.REGISTRATION_FEE, amount=D("12346"),
            mode="cash", receipt_number="AMN/CR/10", received_on=dt.date(2026, 1, 10),
            officer=users["je_aminabad"])
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FEE_PAID and reg.phase_number == 2
    assert_audit_clean()


# --- 6. A person who paid under one scheme is never flagged by another's sweep ----

def test_paid_under_the_open_scheme_never_flagged_by_the_closed_ones_sweep(org_tree, schemes):
    demo = schemes["DEMO-OTS-THEFT"]
    opens = demo.phases.get(number=1).starts_on
    case = TheftCaseFactory(fed_at=ist(2025, 11, 1, 11))
    reg = register(case, demo, at=ist(opens.year, opens.month, opens.day, 10))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE,
                    at=ist(opens.year, opens.month, opens.day, 10, 1)),
              at=ist(opens.year, opens.month, opens.day, 10, 2))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FEE_PAID
    # OTS-THEFT-23 opened on 1 Dec 2025: its sweep is due for every unregistered case.
    counts = flagging.run_sweep(today=opens + dt.timedelta(days=20))
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not ActionItem.objects.filter(case=case).exists()
    assert counts["flagged"] == 0
    assert_audit_clean()


def test_registering_clears_a_flag_of_another_scheme(org_tree, schemes):
    demo, ots23 = schemes["DEMO-OTS-THEFT"], schemes["OTS-THEFT-23"]
    opens = demo.phases.get(number=1).starts_on
    case = TheftCaseFactory(fed_at=ist(2025, 11, 1, 11))
    flagging.run_sweep(today=dt.date(2026, 1, 10))
    item = ActionItem.objects.get(case=case)
    assert item.scheme == ots23
    reg = register(case, demo, at=ist(opens.year, opens.month, opens.day, 10))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE,
                    at=ist(opens.year, opens.month, opens.day, 10, 1)),
              at=ist(opens.year, opens.month, opens.day, 10, 2))
    item.refresh_from_db()
    case.refresh_from_db()
    assert item.status == ActionStatus.CLOSED
    assert case.status == CaseStatus.REGISTERED
    assert case.history.filter(history_change_reason__startswith="registered").exists()
    assert_audit_clean()


# --- Money with no phase open is held, and staff apply or refund it ----

def test_fee_taken_after_the_scheme_closed_is_held_then_refunded(org_tree, ots23, users):
    reg = register(TheftCaseFactory(), ots23, at=ist(2026, 2, 28, 20))
    fee_order = order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 2, 28, 23, 55))
    bank_pays(fee_order, at=ist(2026, 3, 1, 0, 5))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED and reg.frozen_at is None
    assert reg.held_reason == HeldReason.NO_PHASE_OPEN
    assert reg.credited == fee_order.amount
    assert_audit_clean()

    with pytest.raises(services.PaymentError):
        services.refund_record(registration=reg, payment=fee_order, amount=D("99999"),
                               reference="RFND-1", officer=users["sdo_aminabad"])
    services.refund_record(registration=reg, payment=fee_order, amount=fee_order.amount,
                           reference="RFND-1", officer=users["sdo_aminabad"], note="closed")
    reg.refresh_from_db()
    assert reg.credited == D("0.00") and reg.held_reason == ""
    assert reg.status == RegistrationStatus.EXPIRED
    refund = LedgerEntry.objects.get(kind=LedgerKind.REFUND)
    assert refund.recorded_by == users["sdo_aminabad"] and refund.reference == "RFND-1"
    assert_audit_clean()


def test_fee_taken_after_close_applied_by_staff_freezes_on_the_quote_day(
        org_tree, ots23, users):
    from ots_scheme import lifecycle

    reg = register(TheftCaseFactory(), ots23, at=ist(2026, 2, 28, 20))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 2, 28, 23, 55)),
              at=ist(2026, 3, 1, 0, 5))
    lifecycle.registration_held_apply(registration=reg, officer=users["sdo_aminabad"],
                                      note="Order made in phase 3")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FEE_PAID and reg.phase_number == 3
    assert_audit_clean()


def test_held_money_page_only_sdo_and_above_decide(as_user, org_tree, ots23):
    reg = register(TheftCaseFactory(), ots23, at=ist(2026, 2, 28, 20))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE, at=ist(2026, 2, 28, 23, 55)),
              at=ist(2026, 3, 1, 0, 5))
    url = reverse("payments:held_money", args=[reg.registration_number])
    je = as_user("je_aminabad")
    je.cookies["django_language"] = "en"
    page = je.get(url)
    assert page.status_code == 200 and "Money held for staff" in page.content.decode()
    assert je.post(url, {"action": "apply", "note": "x"}).status_code == 403
    assert as_user("je_chowk").get(url).status_code == 404
    sdo = as_user("sdo_aminabad")
    assert sdo.post(url, {"action": "apply", "note": ""}).status_code == 400
    assert sdo.post(url, {"action": "apply", "note": "Paid in phase 3"}).status_code == 302
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FEE_PAID


# --- audit_ledger: the command, the nightly run, the dashboard ----

def test_audit_command_prints_json_and_exit_code(org_tree, ots23):
    register(TheftCaseFactory(), ots23, at=ist(2026, 1, 10, 10))
    out = io.StringIO()
    call_command("audit_ledger", stdout=out)
    result = json.loads(out.getvalue())
    assert result["checked"] >= 1 and result["violations"] == []
    Registration.objects.update(status=RegistrationStatus.SETTLED)
    out = io.StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("audit_ledger", stdout=out)
    assert stop.value.code == 1
    assert {v["check"] for v in json.loads(out.getvalue())["violations"]} >= {"settled_short"}


def test_nightly_audit_is_shown_on_the_directors_dashboard(as_user, org_tree, schemes):
    from payments.tasks import audit_money_ledger

    assert audit_money_ledger.delay().get()["violations"] == 0
    director = as_user("director")
    director.cookies["django_language"] = "en"
    assert "Money checks: 0 violations" in director.get(reverse("dashboard:home")).content.decode()
    listing = as_user("itsupport").get(reverse("payments:money_checks")).content.decode()
    assert "Every money invariant holds." in listing
    assert as_user("je_aminabad").get(reverse("payments:money_checks")).status_code == 404


def test_flag_and_its_clearing_show_in_the_case_history(as_user, org_tree, schemes):
    demo = schemes["DEMO-OTS-THEFT"]
    opens = demo.phases.get(number=1).starts_on
    case = TheftCaseFactory(fed_at=ist(2025, 11, 1, 11))
    flagging.run_sweep(today=dt.date(2026, 1, 10))
    reg = register(case, demo, at=ist(opens.year, opens.month, opens.day, 10))
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE,
                    at=ist(opens.year, opens.month, opens.day, 10, 1)),
              at=ist(opens.year, opens.month, opens.day, 10, 2))
    from theft_cases.queries import case_history

    reasons = [e.reason for e in case_history(case)]
    assert "flagged by the sweep" in reasons
    assert any(r.startswith("registered") for r in reasons)
    page = as_user("je_aminabad").get(reverse("theft_cases:detail", args=[case.case_number]))
    assert "flagged by the sweep" in page.content.decode()


def test_audit_on_the_seeded_demo_finds_nothing(db):
    from django.utils import timezone

    from ots_scheme.models import Scheme
    from theft_cases.models import TheftCase

    call_command("seed_demo", "--cases", "60", stdout=io.StringIO())
    assert audit_ledger().counts == {}
    # A demo person registers and pays the fee at the sandbox bank.
    now = timezone.now()
    case = TheftCase.objects.filter(consumer__mobile__gt="").order_by("pk").first()
    reg = register(case, Scheme.objects.get(code="DEMO-OTS-THEFT"), at=now)
    bank_pays(order(reg, PaymentPurpose.REGISTRATION_FEE, at=now), at=now)
    result = audit_ledger()
    assert result.checked >= 2 and result.counts == {}
