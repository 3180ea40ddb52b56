"""The public pages' compiled case reads give what the ORM gives (theft_cases/public_reads.py).

The lookup, the OTP start and the wizard read cases through SQL compiled
once per process (common/compiled_query.py). Each read is checked here
against the ORM's own answer, on SQLite and on PostgreSQL, field by field.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from common.compiled_query import CompiledQuery
from ots_scheme.models import RegistrationStatus
from ots_scheme.registrations import RegistrationError, check_case_can_register
from tests.factories import ConsumerFactory, RegistrationFactory, TheftCaseFactory
from theft_cases.models import Consumer, TheftCase
from theft_cases.public_reads import case_with_consumer, cases_found

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def same_as_orm(found: list[TheftCase], expected) -> None:
    expected = list(expected.select_related("consumer"))
    assert [c.pk for c in found] == [c.pk for c in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert fields(mine) == fields(theirs)
        assert fields(mine.consumer) == fields(theirs.consumer)
        assert type(mine.assessment_amount) is D and type(mine.detection_date) is dt.date
        assert mine.consumer.pk == mine.consumer_id and not mine._state.adding


def test_a_case_number_is_found_whatever_its_capitals_with_its_consumer(org_tree):
    case = TheftCaseFactory(case_number="LKO/AMN/2023/77", load_kw=D("2.50"),
                            consumer=ConsumerFactory(email="a@example.com"))
    TheftCaseFactory()
    for typed in ("LKO/AMN/2023/77", "lko/amn/2023/77", "  Lko/Amn/2023/77 "):
        same_as_orm(cases_found(case_number=typed), TheftCase.objects.filter(pk=case.pk))
    with CaptureQueriesContext(connection) as queries:
        found = cases_found(case_number="lko/amn/2023/77")
        assert found[0].consumer.email == "a@example.com"
    assert len(queries.captured_queries) == 1  # the consumer came with the case
    assert cases_found(case_number="LKO/AMN/2023/7") == []


def test_an_account_number_finds_its_cases_in_order_at_most_ten(org_tree):
    consumer = ConsumerFactory(account_number="1234567890")
    numbers = [f"LKO/AMN/2023/{n:03d}" for n in (5, 3, 11, 1, 9, 7, 2, 4, 6, 8, 10, 12)]
    for number in numbers:
        TheftCaseFactory(case_number=number, consumer=consumer)
    found = cases_found(account_number="1234567890")
    assert [c.case_number for c in found] == sorted(numbers)[:10]
    same_as_orm(found, TheftCase.objects.filter(consumer=consumer).order_by("case_number")[:10])
    assert cases_found(account_number="1234567891") == []
    assert cases_found() == [] and cases_found(case_number=" ", account_number="") == []


def test_number_or_account_finds_either(org_tree):
    by_number = TheftCaseFactory(case_number="LKO/AMN/2023/A1")
    by_account = TheftCaseFactory(consumer=ConsumerFactory(account_number="9999999999"))
    found = cases_found(case_number="lko/amn/2023/a1", account_number="9999999999")
    assert {c.pk for c in found} == {by_number.pk, by_account.pk}


def test_a_case_by_id_and_a_missing_one(org_tree):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    same_as_orm([case_with_consumer(case.pk)], TheftCase.objects.filter(pk=case.pk))
    assert case_with_consumer(case.pk + 1000) is None


def test_a_text_the_orm_would_rewrite_is_refused_when_compiled(org_tree):
    # icontains wraps the text in %…%: the placeholder never reaches the SQL as given.
    query = CompiledQuery(lambda name: Consumer.objects.filter(name__icontains=name),
                          fields=["id"], name=str)
    with pytest.raises(ImproperlyConfigured, match="'name' reaches the SQL 0 times"):
        query.rows(name="राम")
    plain = CompiledQuery(lambda name: Consumer.objects.filter(name=Value(name)),
                          fields=["id"], name=str)
    consumer = ConsumerFactory(name="सीता देवी")
    assert plain.rows(name="सीता देवी") == [(consumer.pk,)]
    with pytest.raises(TypeError):
        plain.rows(name=5)


def test_a_live_registration_still_stands_in_the_way(org_tree, schemes):
    from core.dates import today_ist
    from ots_scheme.queries import open_scheme

    scheme = open_scheme(today_ist())
    case = TheftCaseFactory()
    check_case_can_register(case=case, scheme=scheme)  # free
    registration = RegistrationFactory(case=case, scheme=scheme,
                                       status=RegistrationStatus.SUBMITTED,
                                       identity_check_required=True)
    with pytest.raises(RegistrationError) as refused:
        check_case_can_register(case=case, scheme=scheme)
    assert refused.value.code == "already_registered"
    # An unverified registration gives way to the owner of the mobile on record.
    check_case_can_register(case=case, scheme=scheme, displacing=True)
    registration.status = RegistrationStatus.LAPSED
    registration.save()
    check_case_can_register(case=case, scheme=scheme)
