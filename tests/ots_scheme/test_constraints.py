"""Database rules of the data model (DESIGN §4.3)."""

import pytest
from django.db import IntegrityError, transaction

from ots_scheme.models import RegistrationStatus
from tests.factories import RegistrationFactory, TheftCaseFactory


@pytest.mark.django_db
def test_second_live_registration_refused_by_database(org_tree, schemes):
    case = TheftCaseFactory()
    RegistrationFactory(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(case=case, status=RegistrationStatus.FEE_PAID)


@pytest.mark.django_db
def test_new_registration_allowed_after_expiry_or_rejection(org_tree, schemes):
    case = TheftCaseFactory()
    RegistrationFactory(case=case, status=RegistrationStatus.EXPIRED)
    RegistrationFactory(case=case, status=RegistrationStatus.REJECTED)
    RegistrationFactory(case=case)  # live again: allowed
    assert case.registrations.count() == 3


@pytest.mark.django_db
def test_same_case_may_register_in_another_scheme(org_tree, schemes):
    case = TheftCaseFactory()
    RegistrationFactory(case=case)
    RegistrationFactory(case=case, scheme=schemes["DEMO-OTS-THEFT"])
    assert case.registrations.count() == 2


@pytest.mark.django_db
def test_negative_assessment_refused_by_database(org_tree):
    from decimal import Decimal

    with pytest.raises(IntegrityError), transaction.atomic():
        TheftCaseFactory(assessment_amount=Decimal("-1"))


@pytest.mark.django_db
def test_case_change_is_kept_in_history(org_tree):
    from decimal import Decimal

    case = TheftCaseFactory()
    case.assessment_amount = Decimal("99999.00")
    case.save()
    amounts = [h.assessment_amount for h in case.history.order_by("history_date")]
    assert amounts == [Decimal("123456.00"), Decimal("99999.00")]
