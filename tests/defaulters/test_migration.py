"""Upgrading a database of the old layout (the defaulter models in ``theft_cases``) keeps every row.

The database is taken back to the ``theft_cases`` migration before the one
that hands the models to ``defaulters``, rows are written through the models
as they were then, and after ``migrate`` every row is found through the new
models: items, records, reminders, their history, and the permissions and
admin log entries that point at their content types.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import TheftCaseFactory

HANDOVER = "move_actions_to_defaulters"


def old_layout(loader) -> list[tuple[str, str | None]]:
    """Return the migration targets of the layout before the move."""
    handover = next(key for key in loader.graph.nodes
                    if key[0] == "theft_cases" and key[1].endswith(HANDOVER))
    before = next(parent.key for parent in loader.graph.node_map[handover].parents
                  if parent.key[0] == "theft_cases")
    return [before, ("defaulters", None)]


@pytest.mark.django_db(transaction=True)
def test_migrate_from_the_old_layout_keeps_every_defaulter_row(users, schemes):
    scheme = schemes["OTS-THEFT-23"]
    phase = scheme.phases.get(number=1)
    je = users["je_aminabad"]
    case = TheftCaseFactory()
    now = timezone.now()

    executor = MigrationExecutor(connection)
    executor.migrate(old_layout(executor.loader))
    loader = MigrationExecutor(connection).loader
    old = loader.project_state(
        [key for key in loader.applied_migrations if key in loader.graph.nodes]
    ).apps
    with pytest.raises(LookupError):
        old.get_model("defaulters", "ActionItem")
    OldItem = old.get_model("theft_cases", "ActionItem")
    OldRecord = old.get_model("theft_cases", "ActionRecord")
    OldReminder = old.get_model("theft_cases", "Reminder")
    OldItemHistory = old.get_model("theft_cases", "HistoricalActionItem")
    OldRecordHistory = old.get_model("theft_cases", "HistoricalActionRecord")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    LogEntry = old.get_model("admin", "LogEntry")

    item_type, _ = ContentType.objects.get_or_create(app_label="theft_cases", model="actionitem")
    record_type, _ = ContentType.objects.get_or_create(app_label="theft_cases",
                                                       model="actionrecord")
    add_record, _ = Permission.objects.get_or_create(
        content_type=record_type, codename="add_actionrecord",
        defaults={"name": "Can add action record"})
    closed = OldItem.objects.create(
        case_id=case.pk, scheme_id=scheme.pk, sub_division_id=case.sub_division_id,
        reason="unregistered", status="closed", due_date=dt.date(2026, 1, 5),
        closed_at=now, closed_reason="withdrawn")
    item = OldItem.objects.create(
        case_id=case.pk, scheme_id=scheme.pk, sub_division_id=case.sub_division_id,
        reason="lapsed", status="in_progress", due_date=dt.date(2026, 2, 10),
        escalated_at=now, closed_reason="")
    record = OldRecord.objects.create(item_id=item.pk, kind="notice",
                                      done_on=dt.date(2026, 1, 20), officer_id=je.pk,
                                      remarks="served by hand")
    reminder = OldReminder.objects.create(case_id=case.pk, phase_id=phase.pk, days_before=7)
    OldItemHistory.objects.create(
        id=item.pk, case_id=case.pk, scheme_id=scheme.pk,
        sub_division_id=case.sub_division_id, reason="lapsed", status="open",
        created_at=now, due_date=dt.date(2026, 1, 25), closed_reason="",
        history_date=now, history_type="+", history_change_reason="flagged by the sweep")
    OldRecordHistory.objects.create(
        id=record.pk, item_id=item.pk, kind="notice", done_on=dt.date(2026, 1, 20),
        officer_id=je.pk, remarks="served by hand", created_at=now, history_date=now,
        history_type="+", history_user_id=je.pk)
    entry = LogEntry.objects.create(
        action_time=now, user_id=je.pk, content_type_id=item_type.pk,
        object_id=str(item.pk), object_repr="old item", action_flag=2, change_message="[]")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.admin.models import LogEntry as NewLogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType as NewContentType

    from defaulters.models import (
        ActionItem,
        ActionRecord,
        ActionStatus,
        ClosedReason,
        Reminder,
    )

    moved = ActionItem.objects.get(pk=item.pk)
    assert (moved.case_id, moved.scheme_id, moved.reason, moved.status) == (
        case.pk, scheme.pk, "lapsed", ActionStatus.IN_PROGRESS)
    assert moved.escalated_at is not None and moved.due_date == dt.date(2026, 2, 10)
    assert ActionItem.objects.get(pk=closed.pk).closed_reason == ClosedReason.WITHDRAWN
    assert list(case.action_items.order_by("pk")) == [ActionItem.objects.get(pk=closed.pk),
                                                      moved]
    assert [(r.pk, r.kind, r.officer_id, r.remarks) for r in moved.records.all()] == [
        (record.pk, "notice", je.pk, "served by hand")]
    assert Reminder.objects.get(pk=reminder.pk).phase_id == phase.pk
    assert list(case.reminders.values_list("days_before", flat=True)) == [7]
    # The audit trail came along.
    assert [(h.status, h.history_change_reason) for h in ActionItem.history.filter(id=item.pk)
            ] == [("open", "flagged by the sweep")]
    assert ActionRecord.history.get(id=record.pk).history_user_id == je.pk
    # Content types moved, not re-created: the role groups keep the
    # permission, the admin log still opens the item.
    assert NewContentType.objects.get(app_label="defaulters", model="actionitem").pk == (
        item_type.pk)
    assert not NewContentType.objects.filter(app_label="theft_cases",
                                             model__in=["actionitem", "actionrecord"]).exists()
    assert get_user_model().objects.get(pk=je.pk).has_perm("defaulters.add_actionrecord")
    assert NewLogEntry.objects.get(pk=entry.pk).get_edited_object() == moved
    assert add_record.pk == NewContentType.objects.get_for_model(ActionRecord).permission_set.get(
        codename="add_actionrecord").pk
    # The tables, their rows and their constraints are the same ones.
    assert ActionItem._meta.db_table == "theft_cases_actionitem"
    assert ActionItem.history.model._meta.db_table == "theft_cases_historicalactionitem"
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.create(case=case, scheme=scheme, sub_division=case.sub_division,
                                  reason="unregistered", due_date=dt.date(2026, 3, 1))
    ActionRecord.objects.create(item=moved, kind="call", done_on=dt.date(2026, 1, 21),
                                officer=je)
    assert ActionRecord.objects.count() == 2
