"""The registration lifecycle services (DESIGN §4.3), on the real database."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from core.dates import today_ist
from defaulters.models import ActionItem, ActionStatus
from messaging.models import SmsMessage
from ots_scheme import lifecycle, registrations
from ots_scheme.models import RegistrationStatus
from ots_scheme.registrations import RegistrationError
from payments import services as payment_services
from payments.models import Payment, PaymentPurpose, PaymentStatus
from tests.factories import RegistrationFactory, TheftCaseFactory
from theft_cases.models import CaseStatus

pytestmark = pytest.mark.django_db
_orders = itertools.count(1)


def details(**overrides):
    values = {
        "applicant_name": "राम कुमार",
        "father_or_husband_name": "श्याम लाल",
        "address": "12, अमीनाबाद, लखनऊ",
        "mobile": "9876543210",
        "declaration_accepted": True,
    }
    values.update(overrides)
    return values


def register(case, scheme, **overrides):
    return registrations.registration_create(case=case, scheme=scheme, **details(**overrides))


def pay(registration, purpose, *, amount=None, paid_at=None):
    """A successful payment row, as the payments app records it."""
    registration.refresh_from_db()
    payment = Payment.objects.create(
        order_id=f"T-{next(_orders)}", registration=registration,
        sub_division=registration.sub_division, purpose=purpose,
        amount=amount or (registration.registration_fee if purpose == "registration_fee"
                          else registration.balance),
        status=PaymentStatus.SUCCESS, paid_at=paid_at or timezone.now(),
    )
    payment_services.payment_credit(payment=payment)
    registration.refresh_from_db()
    return payment


@pytest.fixture
def demo(schemes):
    return schemes["DEMO-OTS-THEFT"]


def test_create_applies_todays_quote_and_numbers_it(org_tree, demo):
    case = TheftCaseFactory()
    reg = register(case, demo)
    assert reg.status == RegistrationStatus.SUBMITTED
    assert reg.registration_number.startswith("DEMO-AMI1-")
    assert len(reg.registration_number) <= 24
    assert reg.sub_division == case.sub_division
    assert reg.phase_number == 1
    # DESIGN §3 example: 50 % of 1,23,456 + 4,000 compounding.
    assert reg.total_payable == Decimal("65728.00")
    assert reg.registration_fee == Decimal("12346.00")
    assert reg.balance == Decimal("53382.00")
    assert reg.expires_at - reg.created_at == dt.timedelta(hours=48)
    assert reg.quoted_on == today_ist()
    sms = SmsMessage.objects.get(template="ots_registration_created")
    assert reg.registration_number in sms.text and "₹12,346.00" in sms.text


def test_second_registration_for_the_case_refused_with_clear_message(org_tree, demo):
    case = TheftCaseFactory()
    register(case, demo)
    with pytest.raises(RegistrationError) as err:
        register(case, demo)
    assert err.value.code == "already_registered"
    assert case.registrations.count() == 1


def test_not_eligible_case_refused(org_tree, demo):
    case = TheftCaseFactory(detection_date=dt.date(2022, 5, 1))
    with pytest.raises(RegistrationError) as err:
        register(case, demo)
    assert err.value.code == "not_eligible"
    assert "2022" in err.value.message
    assert case.registrations.count() == 0


def test_closed_scheme_refused(org_tree, schemes):
    case = TheftCaseFactory()
    with pytest.raises(RegistrationError):
        register(case, schemes["OTS-THEFT-23"])  # its phases ended in Feb 2026
    assert case.registrations.count() == 0


def test_settled_case_refused(org_tree, demo):
    case = TheftCaseFactory(status=CaseStatus.SETTLED)
    with pytest.raises(RegistrationError) as err:
        register(case, demo)
    assert err.value.code == "settled"


@pytest.mark.parametrize("overrides", [
    {"declaration_accepted": False}, {"mobile": "12345"}, {"applicant_name": " "},
    {"id_proof_type": "aadhaar", "id_proof_last4": "12"},
])
def test_bad_details_refused_and_nothing_saved(org_tree, demo, overrides):
    case = TheftCaseFactory()
    with pytest.raises(RegistrationError):
        register(case, demo, **overrides)
    assert case.registrations.count() == 0
    assert not SmsMessage.objects.exists()


def test_fee_payment_freezes_registers_case_closes_action_items(org_tree, demo):
    case = TheftCaseFactory(status=CaseStatus.FLAGGED)
    item = ActionItem.objects.create(case=case, scheme=demo, sub_division=case.sub_division,
                                     reason="unregistered", due_date=today_ist())
    reg = register(case, demo, mobile="+91 98765 43210")
    assert reg.mobile == "9876543210"
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    assert reg.status == RegistrationStatus.FEE_PAID
    assert reg.fee_paid_at is not None and reg.frozen_at is not None
    assert reg.expires_at is None
    case.refresh_from_db()
    item.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert item.status == ActionStatus.CLOSED
    assert SmsMessage.objects.filter(template="ots_fee_paid", mobile="9876543210").exists()


def test_payment_success_is_idempotent(org_tree, demo):
    reg = register(TheftCaseFactory(), demo)
    payment = pay(reg, PaymentPurpose.REGISTRATION_FEE)
    history = reg.history.count()
    sms = SmsMessage.objects.count()
    payment_services.payment_credit(payment=payment)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FEE_PAID
    assert reg.history.count() == history
    assert SmsMessage.objects.count() == sms


def test_balance_payment_settles_registration_and_case(org_tree, demo):
    reg = register(TheftCaseFactory(), demo)
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    payment = pay(reg, PaymentPurpose.BALANCE)
    assert reg.status == RegistrationStatus.SETTLED
    assert reg.settled_at == payment.paid_at
    reg.case.refresh_from_db()
    assert reg.case.status == CaseStatus.SETTLED
    assert SmsMessage.objects.filter(template="ots_settled").count() == 1
    payment_services.payment_credit(payment=payment)
    assert SmsMessage.objects.filter(template="ots_settled").count() == 1


def test_tiny_assessment_settled_by_the_fee_alone(org_tree, demo):
    case = TheftCaseFactory(assessment_amount=Decimal("1000"), compounding_fee=Decimal("0"))
    reg = register(case, demo)
    assert reg.balance == Decimal("0.00")
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    assert reg.status == RegistrationStatus.SETTLED


def test_fee_for_expired_registration_revives_it(org_tree, demo):
    reg = register(TheftCaseFactory(), demo)
    assert registrations.unpaid_registrations_expire(
        now=timezone.now() + dt.timedelta(hours=49)) == 1
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.EXPIRED
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    assert reg.status == RegistrationStatus.FEE_PAID


def test_fee_for_expired_registration_with_another_live_one_is_flagged(org_tree, demo):
    case = TheftCaseFactory()
    old = register(case, demo)
    registrations.unpaid_registrations_expire(now=timezone.now() + dt.timedelta(hours=49))
    new = register(case, demo)
    payment = pay(old, PaymentPurpose.REGISTRATION_FEE)
    assert old.status == RegistrationStatus.EXPIRED
    assert payment.status == PaymentStatus.SUCCESS
    new.refresh_from_db()
    assert new.status == RegistrationStatus.SUBMITTED
    flagged = registrations.needing_attention(case.registrations.all())
    assert list(flagged) == [old]


def test_fee_for_rejected_registration_kept_and_flagged(org_tree, demo, users):
    reg = register(TheftCaseFactory(), demo)
    lifecycle.registration_reject(registration=reg, officer=users["sdo_aminabad"],
                                  reason="Wrong person")
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    assert reg.status == RegistrationStatus.REJECTED
    assert list(registrations.needing_attention(reg.case.registrations.all())) == [reg]


def test_expiry_is_set_based_idempotent_and_spares_fresh_and_in_flight(org_tree, demo):
    stale = register(TheftCaseFactory(), demo)
    in_flight = register(TheftCaseFactory(), demo)
    Payment.objects.create(order_id="T-flight", registration=in_flight,
                           sub_division=in_flight.sub_division, purpose="registration_fee",
                           amount=in_flight.registration_fee, status=PaymentStatus.PENDING)
    later = timezone.now() + dt.timedelta(hours=49)
    fresh = RegistrationFactory(scheme=demo, expires_at=later + dt.timedelta(hours=1))
    assert registrations.unpaid_registrations_expire(now=later) == 1
    assert registrations.unpaid_registrations_expire(now=later) == 0
    stale.refresh_from_db(), in_flight.refresh_from_db(), fresh.refresh_from_db()
    assert stale.status == RegistrationStatus.EXPIRED
    assert in_flight.status == RegistrationStatus.SUBMITTED
    assert fresh.status == RegistrationStatus.SUBMITTED
    assert stale.history.first().status == RegistrationStatus.EXPIRED
    # The case is free to register again.
    register(stale.case, demo)


def test_verify_only_after_fee(org_tree, demo, users):
    reg = register(TheftCaseFactory(), demo)
    with pytest.raises(RegistrationError):
        lifecycle.registration_verify(registration=reg, officer=users["je_aminabad"])
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    lifecycle.registration_verify(registration=reg, officer=users["je_aminabad"])
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.VERIFIED
    assert reg.verified_by == users["je_aminabad"]
    pay(reg, PaymentPurpose.BALANCE)
    assert reg.status == RegistrationStatus.SETTLED


def test_reject_needs_reason_and_tells_consumer(org_tree, demo, users):
    reg = register(TheftCaseFactory(), demo)
    pay(reg, PaymentPurpose.REGISTRATION_FEE)
    with pytest.raises(RegistrationError):
        lifecycle.registration_reject(registration=reg, officer=users["sdo_aminabad"],
                                          reason="  ")
    lifecycle.registration_reject(registration=reg, officer=users["sdo_aminabad"],
                                      reason="ID does not match")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REJECTED
    assert reg.rejection_reason == "ID does not match"
    reg.case.refresh_from_db()
    assert reg.case.status == CaseStatus.FED
    sms = SmsMessage.objects.get(template="ots_rejected")
    assert "ID does not match" in sms.text and sms.mobile == reg.mobile


def test_registration_numbers_unique(org_tree, demo):
    numbers = {register(TheftCaseFactory(), demo).registration_number for _ in range(5)}
    assert len(numbers) == 5
