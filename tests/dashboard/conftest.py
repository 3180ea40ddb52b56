"""A small known dataset whose every figure is counted by hand (see test_figures)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core.dates import IST
from defaulters.models import ActionItem, ActionRecord, Reminder
from ots_scheme.models import Registration
from payments.models import Payment
from tests.factories import ConsumerFactory, TheftCaseFactory

OLD = dt.datetime(2025, 10, 1, 11, 0, tzinfo=IST)


def _case(code, number, *, detected, assess, comp, dep=D(0), status="fed", mobile="9876500000",
          account="1234567890", fir="12/2023", category="LMV-1", fed_at=OLD):
    from organization.models import OrgUnit

    consumer = ConsumerFactory(mobile=mobile, account_number=account)
    return TheftCaseFactory(
        case_number=number, consumer=consumer, sub_division=OrgUnit.objects.get(code=code),
        detection_date=detected, assessment_amount=assess, compounding_fee=comp,
        deposited_amount=dep, status=status, fir_number=fir, category=category, fed_at=fed_at,
    )


def _reg(case, scheme, number, status, *, phase=None, quote=None, fee_paid_at=None):
    fields = {}
    if quote:
        ap, total, fee = quote
        fields = dict(
            phase=phase, phase_number=phase.number, payable_percent=phase.payable_percent,
            assessment=case.assessment_amount, assessment_payable=ap,
            waiver=case.assessment_amount - ap, compounding_fee=case.compounding_fee,
            deposited=case.deposited_amount, total_payable=total, registration_fee=fee,
            balance=total - fee, frozen_at=fee_paid_at, fee_paid_at=fee_paid_at,
        )
    return Registration.objects.create(
        registration_number=number, case=case, scheme=scheme, sub_division=case.sub_division,
        status=status, applicant_name="x", address="y", mobile="9876500000",
        declaration_accepted=True, **fields,
    )


def _pay(reg, order, amount, *, purpose="registration_fee", status="success", mode="online",
         paid_at=None):
    return Payment.objects.create(
        order_id=order, registration=reg, sub_division=reg.sub_division, purpose=purpose,
        amount=amount, status=status, mode=mode, paid_at=paid_at,
    )


@pytest.fixture
def known(org_tree, schemes, users):
    """Eight cases in three sub-divisions (aminabad-1, aminabad-2, victoria)."""
    s = schemes["OTS-THEFT-23"]
    demo = schemes["DEMO-OTS-THEFT"]
    p1, p2 = s.phases.get(number=1), s.phases.get(number=2)
    now = timezone.now()
    day1 = dt.datetime(2025, 12, 10, 12, 0, tzinfo=IST)
    day2 = dt.datetime(2026, 1, 10, 12, 0, tzinfo=IST)
    # aminabad-1
    a1 = _case("aminabad-1", "LKO/AMN/2023/0001", detected=dt.date(2023, 6, 15),
               assess=D(100000), comp=D(4000), status="registered")
    r = _reg(a1, s, "R-A1", "fee_paid", phase=p1, quote=(D(50000), D(54000), D(10000)),
             fee_paid_at=now - dt.timedelta(days=5))
    _pay(r, "O-A1", D(10000), paid_at=now - dt.timedelta(days=5))
    a2 = _case("aminabad-1", "LKO/AMN/2023/0002", detected=dt.date(2023, 3, 1),
               assess=D(20000), comp=D(2000), dep=D(1000), status="settled")
    r = _reg(a2, s, "R-A2", "settled", phase=p2, quote=(D(11000), D(12000), D(2000)),
             fee_paid_at=day2)
    _pay(r, "O-A2F", D(2000), paid_at=day2)
    _pay(r, "O-A2B", D(10000), purpose="balance", mode="cash", paid_at=day2)
    a3 = _case("aminabad-1", "LKO/AMN/2023/0003", detected=dt.date(2023, 9, 9),
               assess=D(50000), comp=D(4000), status="flagged", mobile="")
    item = ActionItem.objects.create(case=a3, scheme=s, sub_division=a3.sub_division,
                                     reason="unregistered", due_date=dt.date(2026, 3, 1))
    ActionRecord.objects.create(item=item, kind="notice", done_on=dt.date(2026, 2, 20),
                                officer=users["je_aminabad"])
    _case("aminabad-1", "LKO/AMN/2022/0004", detected=dt.date(2022, 12, 31),
          assess=D(30000), comp=D(2000), fir="")
    # aminabad-2
    b1 = _case("aminabad-2", "LKO AMN 2023-0005", detected=dt.date(2023, 2, 2),
               assess=D(40000), comp=D(4000), dep=D(5000), fed_at=now - dt.timedelta(days=2))
    _reg(b1, s, "R-B1", "submitted")
    Reminder.objects.create(case=b1, phase=p1, days_before=7)
    b2 = _case("aminabad-2", "LKO/AMN/2023/0006", detected=dt.date(2023, 5, 5),
               assess=D(60000), comp=D(8000), status="flagged", account="", category="NC")
    r = _reg(b2, s, "R-B2", "lapsed", phase=p1, quote=(D(30000), D(38000), D(6000)),
             fee_paid_at=day1)
    _pay(r, "O-B2", D(6000), paid_at=day1)
    _pay(r, "O-B2X", D(500), status="failed")
    # victoria (Chowk division)
    c1 = _case("victoria", "LKO/CHK/2023/0007", detected=dt.date(2023, 7, 7),
               assess=D(10000), comp=D(2000), status="registered", account="")
    r = _reg(c1, s, "R-C1", "verified", phase=p1, quote=(D(5000), D(7000), D(2000)),
             fee_paid_at=day1)
    _pay(r, "O-C1", D(2000), paid_at=day1)
    c2 = _case("victoria", "LKO/CHK/2023/0008", detected=dt.date(2023, 8, 8),
               assess=D(80000), comp=D(4000), status="settled")
    r = _reg(c2, demo, "R-C2", "settled", phase=demo.phases.get(number=1),
             quote=(D(40000), D(44000), D(8000)), fee_paid_at=now - dt.timedelta(days=1))
    _pay(r, "O-C2", D(8000), paid_at=now - dt.timedelta(days=1))
    return s
