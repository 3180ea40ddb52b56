"""Upgrading a database of the old layout (``Consumer`` in ``consumers``) keeps every row.

The old layout is the state just before ``theft_cases.0006_consumer_from_consumers``
(and ``consumers.0004``, which drops the old model): consumers, their history,
the cases and registrations that point at them, a permission granted on the
old content type and an admin log entry about a consumer are made there, then
the database is migrated forward and everything is found through
``theft_cases.Consumer``.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

MOVE = ("theft_cases", "0006_consumer_from_consumers")


def _old_layout(executor):
    """Return the migration targets of the layout before the move."""
    parents = executor.loader.graph.node_map[MOVE].parents
    before = [p.key for p in parents if p.key[0] == "theft_cases"]
    return [*before, ("consumers", "0003_mobile_change_request")]


def _applied_state(executor):
    executor.loader.build_graph()
    applied = [key for key in executor.loader.applied_migrations
               if key in executor.loader.graph.nodes]
    return executor.loader.project_state(applied).apps


@pytest.mark.django_db(transaction=True)
def test_migrate_from_the_old_layout_keeps_consumers_and_what_points_at_them(
        org_tree, schemes):
    executor = MigrationExecutor(connection)
    executor.migrate(_old_layout(executor))
    old = _applied_state(MigrationExecutor(connection))
    OldConsumer = old.get_model("consumers", "Consumer")
    OldHistory = old.get_model("consumers", "HistoricalConsumer")
    OldCase = old.get_model("theft_cases", "TheftCase")
    OldCaseHistory = old.get_model("theft_cases", "HistoricalTheftCase")
    OldRegistration = old.get_model("ots_scheme", "Registration")
    OldMobileChange = old.get_model("consumers", "MobileChangeRequest")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    User = old.get_model("auth", "User")
    LogEntry = old.get_model("admin", "LogEntry")

    assert OldConsumer._meta.db_table == "consumers_consumer"
    consumer_type, _ = ContentType.objects.get_or_create(app_label="consumers",
                                                        model="consumer")
    ContentType.objects.get_or_create(app_label="consumers", model="historicalconsumer")
    assert not ContentType.objects.filter(app_label="theft_cases", model="consumer").exists()
    view, _ = Permission.objects.get_or_create(content_type=consumer_type,
                                               codename="view_consumer",
                                               defaults={"name": "Can view consumer"})
    group = Group.objects.create(name="old-layout readers")
    group.permissions.add(view)
    officer = User.objects.create(username="old_officer", is_staff=True)
    officer.groups.add(group)

    now = timezone.now()
    ram = OldConsumer.objects.create(name="राम कुमार", father_or_husband_name="श्याम लाल",
                                     address="12, अमीनाबाद, लखनऊ", mobile="9876543210",
                                     account_number="1000000001", email="ram@example.in")
    sita = OldConsumer.objects.create(name="सीता देवी", address="7, चौक, लखनऊ")
    for person, kind in ((ram, "+"), (ram, "~"), (sita, "+")):
        OldHistory.objects.create(
            id=person.pk, name=person.name, father_or_husband_name=person.father_or_husband_name,
            address=person.address, mobile=person.mobile,
            account_number=person.account_number, email=person.email,
            created_at=person.created_at, updated_at=person.updated_at,
            history_date=now, history_type=kind, history_user=officer,
        )
    unit = org_tree["aminabad-1"]
    case = OldCase.objects.create(
        case_number="LKO/AMN/2023/0123", detection_date=dt.date(2023, 6, 15), consumer=ram,
        sub_division_id=unit.pk, category="LMV-1", theft_type="direct",
        assessment_amount=Decimal("123456.00"), compounding_fee=Decimal("4000.00"),
        fed_at=now,
    )
    other = OldCase.objects.create(
        case_number="LKO/AMN/2023/0124", detection_date=dt.date(2023, 7, 1), consumer=sita,
        sub_division_id=unit.pk, category="LMV-2", theft_type="bypass",
        assessment_amount=Decimal("50000.00"), fed_at=now,
    )
    OldCaseHistory.objects.create(
        id=case.pk, case_number=case.case_number, detection_date=case.detection_date,
        consumer_id=ram.pk, sub_division_id=unit.pk, category="LMV-1", theft_type="direct",
        assessment_amount=case.assessment_amount, compounding_fee=case.compounding_fee,
        deposited_amount=Decimal("0.00"), status="fed", fed_at=now, updated_at=now,
        history_date=now, history_type="+",
    )
    registration = OldRegistration.objects.create(
        registration_number="REG-OLD-000001", case=case,
        scheme_id=schemes["OTS-THEFT-23"].pk, sub_division_id=unit.pk, status="submitted",
        applicant_name=ram.name, address=ram.address, mobile=ram.mobile,
        declaration_accepted=True,
    )
    change = OldMobileChange.objects.create(case=other, new_mobile="9123456780",
                                            id_proof_type="aadhaar", id_proof_last4="1234",
                                            document="mobile-change/2026/01/id.pdf")
    entry = LogEntry.objects.create(user=officer, content_type=consumer_type,
                                    object_id=str(ram.pk), object_repr=ram.name,
                                    action_flag=2, action_time=now,
                                    change_message="[]")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.admin.models import LogEntry as NewLogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType as NewContentType

    from consumers.models import MobileChangeRequest
    from ots_scheme.models import Registration
    from theft_cases.models import Consumer, TheftCase

    moved = Consumer.objects.get(pk=ram.pk)
    assert (moved.name, moved.father_or_husband_name, moved.address, moved.mobile,
            moved.account_number, moved.email) == (
        "राम कुमार", "श्याम लाल", "12, अमीनाबाद, लखनऊ", "9876543210", "1000000001",
        "ram@example.in")
    assert moved.created_at == ram.created_at
    assert Consumer.objects.get(pk=sita.pk).name == "सीता देवी"
    assert sorted(h.history_type for h in moved.history.all()) == ["+", "~"]
    assert moved.history.first().history_user.username == "old_officer"
    assert Consumer.history.count() == 3

    assert TheftCase.objects.get(pk=case.pk).consumer == moved
    assert sorted(c.case_number for c in moved.cases.all()) == ["LKO/AMN/2023/0123"]
    assert TheftCase.history.get(id=case.pk).consumer_id == moved.pk
    assert Registration.objects.get(pk=registration.pk).case.consumer == moved
    assert MobileChangeRequest.objects.get(pk=change.pk).case.consumer.name == "सीता देवी"

    consumer_type_now = NewContentType.objects.get_for_model(Consumer)
    assert consumer_type_now.pk == consumer_type.pk
    assert consumer_type_now.app_label == "theft_cases"
    assert NewContentType.objects.get_for_model(Consumer.history.model).app_label == \
        "theft_cases"
    assert not NewContentType.objects.filter(app_label="consumers",
                                             model__in=["consumer", "historicalconsumer"]
                                             ).exists()
    assert get_user_model().objects.get(pk=officer.pk).has_perm("theft_cases.view_consumer")
    assert NewLogEntry.objects.get(pk=entry.pk).get_edited_object() == moved

    # New rows go on in the same tables, after the old ones.
    assert Consumer._meta.db_table == "consumers_consumer"
    assert Consumer.history.model._meta.db_table == "consumers_historicalconsumer"
    newcomer = Consumer.objects.create(name="नया उपभोक्ता", address="1, हजरतगंज")
    assert newcomer.pk > sita.pk
    assert Consumer.objects.count() == 3 and Consumer.history.count() == 4
