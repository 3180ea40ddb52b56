"""The import's database side through the ORM: compare, then write with history.

The portable path (SQLite, the laptop default): each chunk's existing cases
are fetched with their consumers and compared in Python, and the apply writes
them with django-simple-history's bulk helpers. PostgreSQL uses the
set-based :mod:`theft_cases.bulk_apply`; both answer the same questions the
same way (``theft_cases.importing`` picks one).
"""

from __future__ import annotations

from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from theft_cases.models import TheftCase
from theft_cases.rows import CaseRow

CASE_FIELDS = (
    "detection_date", "sub_division_id", "category", "theft_type", "load_kw", "fir_number",
    "police_station", "assessment_amount", "compounding_fee", "deposited_amount",
)
CONSUMER_FIELDS = ("name", "father_or_husband_name", "address", "mobile", "account_number")
MONEY_FIELDS = ("assessment_amount", "compounding_fee", "deposited_amount")


def consumer_model():
    """The Consumer model, by the case's relation (whichever app it lives in)."""
    return TheftCase._meta.get_field("consumer").related_model


class OrmWriter:
    """Classify valid rows against the database and, when applying, write them.

    :meth:`add` takes ``(line, row, sub_division_id)`` triples (every case
    number once per file) and returns ``(line, result)`` pairs: ``created``,
    ``updated``, ``unchanged``, or the rejection code ``case_outside_jurisdiction``
    / ``case_number_other_capitals``. :meth:`flush` returns the ids of cases
    whose amounts changed.
    """

    def __init__(self, *, user, prefix: str, apply: bool, change_reason: str):
        self.user = user
        self.prefix = prefix
        self.apply = apply
        self.change_reason = change_reason
        self.changed_money: list[int] = []

    def add(self, valid: list[tuple[int, CaseRow, int]], lines: list,
            keys: list[str]) -> list[tuple[int, str]]:
        """Classify ``valid`` (``keys``: their case numbers in capitals) and, applying,
        write them (``lines``: the set-based writer's COPY text, not built here)."""
        existing = TheftCase.objects.select_related("consumer", "sub_division").annotate(
            number_key=Upper("case_number")
        ).filter(number_key__in=keys)
        if self.apply:
            # Not the joined sub-division rows: registrations in the unit
            # must not wait for a long import to commit.
            existing = existing.select_for_update(of=("self", "consumer"))
        by_number = {case.case_number.upper(): case for case in existing}
        results: list[tuple[int, str]] = []
        new_rows: list[tuple[CaseRow, int]] = []
        changed: list[tuple[TheftCase, bool, bool]] = []
        for line, row, unit_id in valid:
            case = by_number.get(row.case_number.upper())
            if case is None:
                new_rows.append((row, unit_id))
                results.append((line, "created"))
            elif not case.sub_division.path.startswith(self.prefix):
                results.append((line, "case_outside_jurisdiction"))
            elif case.case_number != row.case_number:
                results.append((line, "case_number_other_capitals"))
            else:
                case_changed, money_changed = _assign_case(case, row, unit_id)
                person_changed = _assign_consumer(case.consumer, row)
                if case_changed or person_changed:
                    changed.append((case, person_changed, money_changed))
                    results.append((line, "updated"))
                else:
                    results.append((line, "unchanged"))
        if self.apply:
            self._create(new_rows)
            self._update(changed)
        return results

    def flush(self) -> list[int]:
        money, self.changed_money = self.changed_money, []
        return money

    def close(self) -> None:
        """Nothing to drop: the ORM path keeps no tables of its own."""

    def _create(self, rows: list[tuple[CaseRow, int]]) -> None:
        if not rows:
            return
        consumers = bulk_create_with_history(
            [consumer_model()(**{name: getattr(row, name) for name in CONSUMER_FIELDS})
             for row, _ in rows],
            consumer_model(), default_user=self.user,
            default_change_reason=self.change_reason,
        )
        now = timezone.now()
        cases = [
            TheftCase(
                case_number=row.case_number, consumer=consumer, sub_division_id=unit_id,
                fed_at=now, fed_by=self.user,
                **{name: getattr(row, name) for name in CASE_FIELDS
                   if name != "sub_division_id"},
            )
            for (row, unit_id), consumer in zip(rows, consumers, strict=True)
        ]
        bulk_create_with_history(
            cases, TheftCase, default_user=self.user,
            default_change_reason=self.change_reason,
        )

    def _update(self, changed: list[tuple[TheftCase, bool, bool]]) -> None:
        if not changed:
            return
        now = timezone.now()
        for case, _person, _money in changed:
            case.updated_at = now
        bulk_update_with_history(
            [case for case, _, _ in changed], TheftCase,
            fields=[*CASE_FIELDS, "updated_at"], default_user=self.user,
            default_change_reason=self.change_reason,
        )
        people = [case.consumer for case, person, _ in changed if person]
        for consumer in people:
            consumer.updated_at = now
        if people:
            bulk_update_with_history(
                people, consumer_model(), fields=[*CONSUMER_FIELDS, "updated_at"],
                default_user=self.user, default_change_reason=self.change_reason,
            )
        self.changed_money.extend(case.pk for case, _, money in changed if money)


def _assign_case(case: TheftCase, row: CaseRow, unit_id: int) -> tuple[bool, bool]:
    """Copy the row onto the case; return (anything changed, money changed)."""
    changed = money = False
    for name in CASE_FIELDS:
        value = unit_id if name == "sub_division_id" else getattr(row, name)
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
            money = money or name in MONEY_FIELDS
    return changed, money


def _assign_consumer(consumer, row: CaseRow) -> bool:
    changed = False
    for name in CONSUMER_FIELDS:
        value = getattr(row, name)
        if getattr(consumer, name) != value:
            setattr(consumer, name, value)
            changed = True
    return changed
