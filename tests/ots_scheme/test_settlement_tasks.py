"""Settlement tasks: freeze on fee payment, recompute on change (eager and real worker)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core.dates import IST
from ots_scheme import tasks
from ots_scheme.models import RegistrationStatus
from ots_scheme.services import rules_for
from ots_scheme.settlement import quote
from payments.models import Payment, PaymentPurpose, PaymentStatus
from tests.factories import RegistrationFactory, TheftCaseFactory

FIELDS = ["phase_number", "payable_percent", "assessment", "assessment_payable", "waiver",
          "compounding_fee", "deposited", "total_payable", "registration_fee", "balance",
          "balance_due_date", "quoted_on", "frozen_at"]


def paid_registration(paid_at, **kwargs):
    registration = RegistrationFactory(status=RegistrationStatus.FEE_PAID,
                                       fee_paid_at=timezone.now(), **kwargs)
    Payment.objects.create(
        order_id=f"ORD-{registration.pk}", registration=registration,
        sub_division=registration.sub_division, purpose=PaymentPurpose.REGISTRATION_FEE,
        amount=D("12346"), status=PaymentStatus.SUCCESS, paid_at=paid_at,
    )
    return registration


def stored(registration):
    registration.refresh_from_db()
    return {f: getattr(registration, f) for f in FIELDS}


def engine_quote(registration, on):
    case = registration.case
    return quote(rules_for(registration.scheme), assessment=case.assessment_amount,
                 compounding_fee=case.compounding_fee, deposited=case.deposited_amount, on=on)


@pytest.mark.django_db
def test_freeze_uses_payment_time_in_ist(org_tree, schemes):
    # 19:00 UTC on 3 Jan is 00:30 IST on 4 Jan: phase 2.
    paid_at = dt.datetime(2026, 1, 3, 19, 0, tzinfo=dt.UTC)
    registration = paid_registration(paid_at, quoted_on=dt.date(2026, 1, 3))
    out = tasks.freeze_registration_settlement.delay(registration.pk).get()
    assert out["frozen"] is True
    row = stored(registration)
    expected = engine_quote(registration, dt.date(2026, 1, 4))
    assert row["phase_number"] == 2
    assert row["total_payable"] == expected.total_payable == D("71901.00")
    assert row["quoted_on"] == dt.date(2026, 1, 4)


@pytest.mark.django_db
def test_freeze_falls_back_to_fee_paid_at_and_skips_unpaid(org_tree, schemes):
    registration = RegistrationFactory(
        status=RegistrationStatus.FEE_PAID,
        fee_paid_at=dt.datetime(2025, 12, 20, 10, tzinfo=IST),
    )
    tasks.freeze_registration_settlement(registration.pk)
    assert stored(registration)["phase_number"] == 1
    unpaid = RegistrationFactory()
    assert tasks.freeze_registration_settlement(unpaid.pk)["frozen"] is False
    assert stored(unpaid)["frozen_at"] is None
    assert tasks.freeze_registration_settlement(10**9)["frozen"] is False


@pytest.mark.django_db
def test_recompute_case_quotes_task(org_tree, schemes):
    case = TheftCaseFactory()
    registration = RegistrationFactory(case=case, quoted_on=dt.date(2025, 12, 15))
    case.deposited_amount = D("61728")
    case.save()
    out = tasks.recompute_case_quotes.delay(case.pk).get()
    assert out == {"recomputed": 1, "unchanged": 0, "unquotable": 0}
    row = stored(registration)
    assert row["total_payable"] == D("4000.00")
    assert row["registration_fee"] == D("4000.00")
    assert row["balance"] == D("0.00")
    assert tasks.recompute_case_quotes(case.pk)["recomputed"] == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_freeze_through_real_worker_matches_engine_and_is_idempotent(celery_worker):
    from conftest import ROOT
    from organization.services import org_tree_load, read_tree_file
    from redportal import demo

    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    demo.ensure_schemes()
    paid_at = dt.datetime(2026, 1, 4, 0, 30, tzinfo=IST)
    registration = paid_registration(paid_at, quoted_on=dt.date(2026, 1, 3))
    assert tasks.freeze_registration_settlement.delay(registration.pk).get(timeout=30)[
        "frozen"
    ]
    first = stored(registration)
    expected = engine_quote(registration, dt.date(2026, 1, 4))
    assert first["phase_number"] == expected.phase == 2
    for name in ["assessment", "assessment_payable", "waiver", "compounding_fee", "deposited",
                 "total_payable", "registration_fee", "balance", "balance_due_date"]:
        assert first[name] == getattr(expected, name), name
    history = registration.history.count()
    out = tasks.freeze_registration_settlement.delay(registration.pk).get(timeout=30)
    assert out["changed"] is False
    assert stored(registration) == first
    assert registration.history.count() == history

    # A recompute through the worker leaves the frozen registration alone.
    case = registration.case
    case.assessment_amount = D("5000")
    case.save()
    open_one = RegistrationFactory(quoted_on=dt.date(2025, 12, 15))
    open_case = open_one.case
    open_case.assessment_amount = D("5000")
    open_case.save()
    assert tasks.recompute_case_quotes.delay(case.pk).get(timeout=30)["recomputed"] == 0
    assert tasks.recompute_case_quotes.delay(open_case.pk).get(timeout=30)["recomputed"] == 1
    assert stored(registration) == first
    assert stored(open_one)["total_payable"] == D("6500.00")
