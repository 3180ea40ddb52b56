"""The import's database side on PostgreSQL, set-based (issue 18).

Valid rows are staged with ``COPY`` into a temporary table; each chunk is
classified against the cases and consumers in one ``UPDATE … FROM`` (new,
changed, unchanged, or refused: a case outside the uploader's jurisdiction,
a case number in other capitals). When applying, the changed rows are locked
and classified again under the lock, and every few chunks the staged rows are
written with ``INSERT … SELECT`` / ``UPDATE … FROM`` and their history rows
with :func:`common.history.record_history`: one row per created or changed
case (and per created or changed consumer), with the importing user and the
change reason, as django-simple-history's bulk helpers write them on the ORM
path (:mod:`theft_cases.orm_apply`, which answers the same questions the
same way).

Table and column names come from the models' ``_meta`` (quoted), never
from the file; every value travels as a ``COPY`` cell or a query parameter.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from common.history import record_history
from organization.models import OrgUnit
from theft_cases.models import TheftCase
from theft_cases.orm_apply import CASE_FIELDS, CONSUMER_FIELDS, MONEY_FIELDS, consumer_model
from theft_cases.rows import CaseRow

# Staged rows are written every this many (and at the end).
FLUSH_ROWS = 20_000
RESULTS = {None: "created", "u": "updated", "n": "unchanged",
           "o": "case_outside_jurisdiction", "k": "case_number_other_capitals"}

q = connection.ops.quote_name
# COPY's text format: a backslash, tab, newline or carriage return in a cell
# is written as its escape.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


class _Names:
    """Quoted table and column names, from the models."""

    def __init__(self):
        consumer = consumer_model()
        self.case_table = q(TheftCase._meta.db_table)
        self.consumer_table = q(consumer._meta.db_table)
        self.unit_table = q(OrgUnit._meta.db_table)
        self.case_pk = q(TheftCase._meta.pk.column)
        self.consumer_pk = q(consumer._meta.pk.column)
        self.unit_pk = q(OrgUnit._meta.pk.column)
        self.case_number = q(_column(TheftCase, "case_number"))
        self.case_consumer = q(_column(TheftCase, "consumer"))
        self.case_unit = q(_column(TheftCase, "sub_division"))
        self.unit_path = q(_column(OrgUnit, "path"))
        self.updated_case = q(_column(TheftCase, "updated_at"))
        self.updated_consumer = q(_column(consumer, "updated_at"))
        # (stage column, target column, db type) per field of the row.
        self.case = [(q(f"c_{name}"), q(_column(TheftCase, name)),
                      TheftCase._meta.get_field(name).db_type(connection))
                     for name in CASE_FIELDS]
        self.person = [(q(f"p_{name}"), q(_column(consumer, name)),
                        consumer._meta.get_field(name).db_type(connection))
                       for name in CONSUMER_FIELDS]
        self.money = [(stage, target) for (stage, target, _), name
                      in zip(self.case, CASE_FIELDS, strict=True) if name in MONEY_FIELDS]


def _differs(pairs, alias: str) -> str:
    return " OR ".join(f"{alias}.{target} IS DISTINCT FROM s.{stage}" for stage, target in pairs)


def _insert(model, table: str, given: dict[str, str], values_of: dict[str, object], now,
            stage: str, where: str) -> tuple[str, list]:
    """``INSERT INTO table SELECT … FROM stage`` in line order.

    Each column is a stage expression (``given``), a value (``values_of``),
    ``now`` for ``auto_now`` fields, or else the field's default, as the
    ORM's ``bulk_create`` fills it.
    """
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        columns.append(q(field.column))
        if field.attname in given:
            values.append(given[field.attname])
        elif field.attname in values_of:
            values.append("%s")
            params.append(field.get_db_prep_save(values_of[field.attname], connection))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("%s")
            params.append(field.get_db_prep_save(now, connection))
        else:
            default = field.get_default()
            if default is None and not field.null:
                raise ImproperlyConfigured(f"bulk import: no value for {field.name}")
            values.append("%s")
            params.append(field.get_db_prep_save(default, connection))
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608  # nosec B608
           f"SELECT {', '.join(values)} FROM {stage} s WHERE {where} ORDER BY s.line")
    return sql, params


def copy_rows(cursor, table: str, columns: list[str], text: str) -> None:
    """``COPY table (columns) FROM STDIN`` rows in COPY's text format (psycopg 2 or 3).

    Cells are tab-separated, ``\\N`` is NULL, and text cells pass through
    :data:`_ESCAPE`; the text is for the database only, never a download.
    """
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):
        raw.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(text)


class BulkWriter:
    """The set-based counterpart of :class:`theft_cases.orm_apply.OrmWriter`."""

    def __init__(self, *, user, prefix: str, apply: bool, change_reason: str):
        self.user = user
        self.prefix = prefix
        self.apply = apply
        self.change_reason = change_reason
        self.names = _Names()
        self.stage = q(f"import_stage_{uuid.uuid4().hex[:12]}")
        self.staged = 0
        self.changed_money: list[int] = []
        n = self.names
        columns = [f"{stage} {kind}" for stage, _, kind in n.case + n.person]
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.stage} (line integer PRIMARY KEY, "
                f"key text NOT NULL, case_number text NOT NULL, {', '.join(columns)}, "
                "action char(1), case_id bigint, consumer_id bigint, person boolean, "
                "money boolean)"
            )
        case_diff = _differs([(s, t) for s, t, _ in n.case], "c")
        person_diff = _differs([(s, t) for s, t, _ in n.person], "p")
        money_diff = _differs(n.money, "c")
        self._classify = (
            f"UPDATE {self.stage} s SET case_id = c.{n.case_pk}, "  # noqa: S608  # nosec B608
            f"consumer_id = c.{n.case_consumer}, action = CASE "
            f"WHEN NOT starts_with(u.{n.unit_path}, %s) THEN 'o' "
            f"WHEN c.{n.case_number} <> s.case_number THEN 'k' "
            f"WHEN {case_diff} OR {person_diff} THEN 'u' ELSE 'n' END, "
            f"person = ({person_diff}), money = ({money_diff}) "
            f"FROM {n.case_table} c JOIN {n.unit_table} u ON u.{n.unit_pk} = c.{n.case_unit} "
            f"JOIN {n.consumer_table} p ON p.{n.consumer_pk} = c.{n.case_consumer} WHERE "
        )
        self.copy_columns = ["line", "key", "case_number",
                             *(s for s, _, _ in n.case), *(s for s, _, _ in n.person)]

    # --- Classifying -------------------------------------------------------------

    def add(self, valid: list[tuple[int, CaseRow, int]]) -> list[tuple[int, str]]:
        if not valid:
            return []
        lines = []
        for line, row, unit_id in valid:
            key = row.case_number.upper()
            lines.append("\t".join((
                str(line), key.translate(_ESCAPE), row.case_number.translate(_ESCAPE),
                row.detection_date.isoformat(), str(unit_id), row.category, row.theft_type,
                "\\N" if row.load_kw is None else str(row.load_kw),
                row.fir_number.translate(_ESCAPE), row.police_station.translate(_ESCAPE),
                str(row.assessment_amount), str(row.compounding_fee),
                str(row.deposited_amount), row.name.translate(_ESCAPE),
                row.father_or_husband_name.translate(_ESCAPE), row.address.translate(_ESCAPE),
                row.mobile, row.account_number,
            )))
        lines.append("")
        first = valid[0][0]
        with connection.cursor() as cursor:
            copy_rows(cursor, self.stage, self.copy_columns, "\n".join(lines))
            # Rows no case matches keep action NULL: they are the new cases.
            cursor.execute(
                self._classify + f"s.line >= %s AND upper(c.{self.names.case_number}) = s.key",
                [self.prefix, first],
            )
            known: dict[int, str] = {}
            if cursor.rowcount:
                if self.apply:
                    self._lock_changed(cursor, first)
                cursor.execute(
                    f"SELECT line, action FROM {self.stage} "  # noqa: S608  # nosec B608
                    "WHERE line >= %s AND action IS NOT NULL", [first])
                known = dict(cursor.fetchall())
        self.staged += len(valid)
        results = [(line, RESULTS[known.get(line)]) for line, _, _ in valid]
        if self.staged >= FLUSH_ROWS:
            self._write() if self.apply else self._clear()
        return results

    def _lock_changed(self, cursor, first: int) -> None:
        """Lock the cases (and consumers) about to change, then classify them again.

        Unchanged rows are not locked: the import does not write them, so a
        re-import of an unchanged file takes no row lock at all.
        """
        n = self.names
        cursor.execute(
            f"SELECT 1 FROM {n.case_table} c JOIN {n.consumer_table} p "  # noqa: S608  # nosec B608
            f"ON p.{n.consumer_pk} = c.{n.case_consumer} WHERE c.{n.case_pk} IN "
            f"(SELECT case_id FROM {self.stage} WHERE line >= %s AND action = 'u') "
            "FOR UPDATE OF c, p", [first])
        if cursor.rowcount:
            cursor.execute(
                self._classify + f"s.line >= %s AND s.action = 'u' AND c.{n.case_pk} = s.case_id",
                [self.prefix, first],
            )

    # --- Writing -----------------------------------------------------------------

    def flush(self) -> list[int]:
        if self.apply and self.staged:
            self._write()
        money, self.changed_money = self.changed_money, []
        return money

    def _write(self) -> None:
        n, stage, user_id = self.names, self.stage, self.user.pk
        consumer = consumer_model()
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s), pg_get_serial_sequence(%s, %s)",
                [consumer._meta.db_table, consumer._meta.pk.column,
                 TheftCase._meta.db_table, TheftCase._meta.pk.column])
            consumer_seq, case_seq = cursor.fetchone()
            # Ids in line order, as the ORM's bulk_create hands them out.
            cursor.execute(
                f"WITH n AS (SELECT line, nextval(%s) AS p, nextval(%s) AS c FROM "  # noqa: S608  # nosec B608
                f"(SELECT line FROM {stage} WHERE action IS NULL ORDER BY line) o) "
                f"UPDATE {stage} s SET consumer_id = n.p, case_id = n.c FROM n "
                "WHERE s.line = n.line", [consumer_seq, case_seq])
            if cursor.rowcount:
                person = {consumer._meta.pk.attname: "s.consumer_id"}
                person.update({name: f"s.{stage_column}" for name, (stage_column, _, _)
                               in zip(CONSUMER_FIELDS, n.person, strict=True)})
                cursor.execute(*_insert(consumer, n.consumer_table, person, {}, now, stage,
                                        "s.action IS NULL"))
                case = {TheftCase._meta.pk.attname: "s.case_id", "case_number": "s.case_number",
                        "consumer_id": "s.consumer_id"}
                case.update({name: f"s.{stage_column}" for name, (stage_column, _, _)
                             in zip(CASE_FIELDS, n.case, strict=True)})
                cursor.execute(*_insert(TheftCase, n.case_table, case,
                                        {"fed_at": now, "fed_by_id": user_id}, now, stage,
                                        "s.action IS NULL"))
                self._history(None, "+", now)
            case_set = ", ".join(f"{target} = s.{column}" for column, target, _ in n.case)
            cursor.execute(
                f"UPDATE {n.case_table} c SET {case_set}, {n.updated_case} = %s "  # noqa: S608  # nosec B608
                f"FROM {stage} s WHERE s.action = 'u' AND c.{n.case_pk} = s.case_id", [now])
            if cursor.rowcount:
                person_set = ", ".join(f"{target} = s.{column}"
                                       for column, target, _ in n.person)
                cursor.execute(
                    f"UPDATE {n.consumer_table} p SET {person_set}, "  # noqa: S608  # nosec B608
                    f"{n.updated_consumer} = %s FROM {stage} s "
                    f"WHERE s.action = 'u' AND s.person AND p.{n.consumer_pk} = s.consumer_id",
                    [now])
                self._history("u", "~", now)
                cursor.execute(f"SELECT case_id FROM {stage} WHERE action = 'u' AND money "  # noqa: S608  # nosec B608
                               "ORDER BY line")
                self.changed_money.extend(row[0] for row in cursor.fetchall())
        self._clear()

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.stage}")
        self.staged = 0

    def _history(self, action: str | None, history_type: str, now) -> None:
        person = " AND person" if action == "u" else ""
        test = "action IS NULL" if action is None else "action = %s"
        for model, column, condition in ((consumer_model(), "consumer_id", person),
                                         (TheftCase, "case_id", "")):
            # Names of our own temporary table; the action travels as a parameter.
            rows = model.objects.filter(pk__in=RawSQL(  # noqa: S611
                f"SELECT {column} FROM {self.stage} WHERE {test}{condition}",  # noqa: S608  # nosec B608
                [] if action is None else [action]))
            record_history(rows, when=now, reason=self.change_reason,
                           history_type=history_type, user_id=self.user.pk)

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")

