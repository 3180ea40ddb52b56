"""factory_boy factories for the portal's models (no mocks of our own models)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from organization.models import OrgUnit
from ots_scheme.models import Registration, RegistrationStatus, Scheme
from theft_cases.models import Category, Consumer, TheftCase, TheftType


class ConsumerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consumer

    name = factory.Sequence(lambda n: f"राम कुमार {n}")
    father_or_husband_name = "श्याम लाल"
    address = factory.Sequence(lambda n: f"{n}/12, अमीनाबाद, लखनऊ")
    mobile = factory.Sequence(lambda n: f"98{n:08d}")
    account_number = factory.Sequence(lambda n: f"{1000000000 + n}")


class TheftCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TheftCase

    case_number = factory.Sequence(lambda n: f"LKO/AMN/2023/T{n:05d}")
    detection_date = dt.date(2023, 6, 15)
    consumer = factory.SubFactory(ConsumerFactory)
    sub_division = factory.LazyFunction(lambda: OrgUnit.objects.get(code="aminabad-1"))
    category = Category.LMV1
    theft_type = TheftType.DIRECT
    load_kw = Decimal("2")
    assessment_amount = Decimal("123456.00")
    compounding_fee = Decimal("4000.00")
    deposited_amount = Decimal("0.00")
    fed_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    registration_number = factory.Sequence(lambda n: f"REG-T{n:06d}")
    case = factory.SubFactory(TheftCaseFactory)
    scheme = factory.LazyFunction(lambda: Scheme.objects.get(code="OTS-THEFT-23"))
    sub_division = factory.LazyAttribute(lambda o: o.case.sub_division)
    status = RegistrationStatus.SUBMITTED
    applicant_name = factory.LazyAttribute(lambda o: o.case.consumer.name)
    address = factory.LazyAttribute(lambda o: o.case.consumer.address)
    mobile = factory.LazyAttribute(lambda o: o.case.consumer.mobile or "9876543210")
    declaration_accepted = True
