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

A file's preview can *keep* its staged rows (``kept``: an unlogged table
named after the import, see :mod:`theft_cases.import_kept`): the apply then
classifies and writes them in SQL alone, without reading the file again.

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

from common.history import history_insert_sql, record_history
from organization.models import OrgUnit
from theft_cases.models import TheftCase
from theft_cases.orm_apply import CASE_FIELDS, CONSUMER_FIELDS, MONEY_FIELDS, consumer_model
from theft_cases.parsing import copy_line
from theft_cases.rows import CaseRow

# Staged rows are written every this many (and at the end).
FLUSH_ROWS = 20_000
# After creating this many cases the import refreshes the tables' statistics.
ANALYZE_AFTER = 10_000
RESULTS = {None: "created", "u": "updated", "n": "unchanged",
           "o": "case_outside_jurisdiction", "k": "case_number_other_capitals"}

q = connection.ops.quote_name


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


def _sequence(model) -> str:
    """The name of the sequence behind the model's primary key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)",
                       [model._meta.db_table, model._meta.pk.column])
        return cursor.fetchone()[0]


def _insert(model, table: str, given: dict[str, str], values_of: dict[str, object],
            now) -> tuple[str, list, dict[str, tuple[str, list]]]:
    """``INSERT INTO table SELECT … FROM s``, ``s`` being the new rows (a ``WITH`` name).

    Each column is a stage expression (``given``), a value (``values_of``),
    ``now`` for ``auto_now`` fields, or else the field's default, as the
    ORM's ``bulk_create`` fills it. Also returns each field's expression and
    parameters by attname, for the history rows of the same rows.
    """
    columns, values, params = [], [], []
    by_name: dict[str, tuple[str, list]] = {}
    for field in model._meta.concrete_fields:
        columns.append(q(field.column))
        if field.attname in given:
            value = (given[field.attname], [])
        elif field.attname in values_of:
            value = ("%s", [field.get_db_prep_save(values_of[field.attname], connection)])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = ("%s", [field.get_db_prep_save(now, connection)])
        else:
            default = field.get_default()
            if default is None and not field.null:
                raise ImproperlyConfigured(f"bulk import: no value for {field.name}")
            value = ("%s", [field.get_db_prep_save(default, connection)])
        by_name[field.attname] = value
        values.append(value[0])
        params.extend(value[1])
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608  # nosec B608
           f"SELECT {', '.join(values)} FROM s")
    return sql, params, by_name


def copy_rows(cursor, table: str, columns: list[str], text: str) -> None:
    """``COPY table (columns) FROM STDIN`` rows in COPY's text format (psycopg 2 or 3).

    Cells are tab-separated, ``\\N`` is NULL, and text cells pass through
    :data:`theft_cases.parsing._ESCAPE`; the text is for the database only, never a download.
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

    def __init__(self, *, user, prefix: str, apply: bool, change_reason: str,
                 kept: str | None = None, create: bool = True):
        """Stage in a temporary table, or in the unlogged table ``kept``.

        ``kept`` with ``create``: a preview that keeps its rows (the table is
        made afresh, and dropped by :meth:`close` unless :meth:`keep` was
        called); without ``create``: the apply of rows kept by a preview.
        """
        self.user = user
        self.prefix = prefix
        self.apply = apply
        self.change_reason = change_reason
        self.names = _Names()
        self.stage = q(kept or f"import_stage_{uuid.uuid4().hex[:12]}")
        self.kept = kept is not None
        self.drop_on_close = not self.kept or create
        self.staged = 0
        self.staged_total = 0
        self.created = 0
        self.changed_money: list[int] = []
        n = self.names
        columns = [f"{stage} {kind}" for stage, _, kind in n.case + n.person]
        if create:
            kind = "UNLOGGED" if self.kept else "TEMPORARY"
            with connection.cursor() as cursor:
                if self.kept:
                    cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
                cursor.execute(
                    f"CREATE {kind} TABLE {self.stage} (line integer PRIMARY KEY, "
                    f"key text NOT NULL, case_number text NOT NULL, {', '.join(columns)}, "
                    "action char(1), case_id bigint, consumer_id bigint, person boolean, "
                    "money boolean, refused char(1))"
                )
        case_diff = _differs([(s, t) for s, t, _ in n.case], "c")
        person_diff = _differs([(s, t) for s, t, _ in n.person], "p")
        money_diff = _differs(n.money, "c")
        action = (f"CASE WHEN NOT starts_with(u.{n.unit_path}, %s) THEN 'o' "
                  f"WHEN c.{n.case_number} <> s.case_number THEN 'k' "
                  f"WHEN {case_diff} OR {person_diff} THEN 'u' ELSE 'n' END")
        joined = (f"{n.case_table} c JOIN {n.unit_table} u ON u.{n.unit_pk} = c.{n.case_unit} "
                  f"JOIN {n.consumer_table} p ON p.{n.consumer_pk} = c.{n.case_consumer}")
        self._classify = (
            f"UPDATE {self.stage} s SET case_id = c.{n.case_pk}, "  # noqa: S608  # nosec B608
            f"consumer_id = c.{n.case_consumer}, action = {action}, "
            f"person = ({person_diff}), money = ({money_diff}) FROM {joined} WHERE "
        )
        # The preview only reads the outcome: its staged rows stay as copied.
        self._outcomes = (f"SELECT s.line, {action} FROM {self.stage} s, {joined} "  # noqa: S608  # nosec B608
                          "WHERE ")
        self._classified = (
            f"SELECT s.line, c.{n.case_pk} AS case_id, c.{n.case_consumer} AS consumer_id, "  # noqa: S608  # nosec B608
            f"{action} AS action, ({person_diff}) AS person, ({money_diff}) AS money "
            f"FROM {self.stage} s, {joined} WHERE ")
        # Kept rows whose case exists but which were not marked (unchanged):
        # the insert of new cases must pass them over.
        self.unmarked_existing = False
        self.copy_columns = ["line", "key", "case_number",
                             *(s for s, _, _ in n.case), *(s for s, _, _ in n.person)]

    # --- Classifying -------------------------------------------------------------

    # One valid row as a line of COPY text (pure: built while parsing).
    copy_line = staticmethod(copy_line)

    def add(self, valid: list[tuple[int, CaseRow | None, int]], lines: list[str],
            keys: list[str]) -> list[tuple[int, str]]:
        """Stage ``valid`` — their :meth:`copy_line` texts and case-number keys built
        while parsing (a row prepared in the parsing process comes without its
        :class:`CaseRow`) — and classify them."""
        if not valid:
            return []
        first = valid[0][0]
        # The chunk's lines, and its case numbers as an array: the planner
        # then looks each one up in the case-number index instead of hashing
        # the whole case table for every chunk.
        number = f"upper(c.{self.names.case_number})"
        matching = f"s.line BETWEEN %s AND %s AND {number} = s.key AND {number} = ANY(%s)"
        params = [self.prefix, first, valid[-1][0], keys]
        with connection.cursor() as cursor:
            copy_rows(cursor, self.stage, self.copy_columns, "\n".join(lines) + "\n")
            # Rows no case matches have no outcome yet: they are the new cases.
            known: dict[int, str] = {}
            if self.apply:
                cursor.execute(self._classify + matching, params)
                if cursor.rowcount:
                    self._lock_changed(cursor, first)
                    cursor.execute(
                        f"SELECT line, action FROM {self.stage} "  # noqa: S608  # nosec B608
                        "WHERE line >= %s AND action IS NOT NULL", [first])
                    known = dict(cursor.fetchall())
            else:
                cursor.execute(self._outcomes + matching, params)
                known = dict(cursor.fetchall())
                if self.kept:
                    self._mark_refused(cursor, known)
        self.staged += len(valid)
        self.staged_total += len(valid)
        results = [(line, RESULTS[known.get(line)]) for line, _, _ in valid]
        if self.staged >= FLUSH_ROWS and not self.kept:
            self._write() if self.apply else self._clear()
        return results

    def _mark_refused(self, cursor, known: dict[int, str]) -> None:
        """Note on the kept rows which ones the preview refused (and why)."""
        for code in ("o", "k"):
            lines = [line for line, action in known.items() if action == code]
            if lines:
                cursor.execute(f"UPDATE {self.stage} SET refused = %s "  # noqa: S608  # nosec B608
                               "WHERE line = ANY(%s)", [code, lines])

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
        self._analyze_if_grown()
        money, self.changed_money = self.changed_money, []
        return money

    def _analyze_if_grown(self) -> None:
        """Refresh the planner's statistics after a large import.

        Until autovacuum comes round, the planner would plan the next import
        (or any list) against the case table's old size — a freshly filled
        table still counted as nearly empty gets scanned whole. ``ANALYZE``
        samples the rows this transaction wrote too. (Consumers are only
        ever reached by their id.)
        """
        if self.created < ANALYZE_AFTER:
            return
        self.created = 0
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.names.case_table}")

    def _write(self) -> None:
        n, stage = self.names, self.stage
        now = timezone.now()
        with connection.cursor() as cursor:
            # The new rows are sorted by line once (for their ids): in memory,
            # not in temporary files (for this transaction only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(*self._create_statement(now))
            self.created += max(cursor.rowcount, 0)
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

    def _new_only(self) -> str:
        if not self.unmarked_existing:
            return ""
        return (f" AND NOT EXISTS (SELECT 1 FROM {self.names.case_table} c "  # noqa: S608  # nosec B608
                f"WHERE upper(c.{self.names.case_number}) = k.key)")

    def _create_statement(self, now) -> tuple[str, list]:
        """One statement for the new cases: consumers, cases and both history rows.

        A data-modifying ``WITH``: ids in line order (as the ORM's
        ``bulk_create`` hands them out), and every table written from the
        same staged rows ``s`` with the same expressions — the ``+`` history
        rows too, with the importing user and the change reason. (Written
        from ``s`` rather than from the inserts' ``RETURNING *``: keeping
        every inserted row for the history cost about a sixth of the
        statement. The foreign keys are checked at commit, so the order in
        which the four inserts run does not matter.)
        """
        n, stage, user_id = self.names, self.stage, self.user.pk
        consumer = consumer_model()
        params: list = [
            _sequence(consumer), _sequence(TheftCase),
        ]
        parts = [
            f"s AS (SELECT o.*, nextval(%s) AS new_consumer, nextval(%s) AS new_case "  # noqa: S608  # nosec B608
            f"FROM (SELECT * FROM {stage} k WHERE action IS NULL{self._new_only()} "
            "ORDER BY line) o)"
        ]
        person = {consumer._meta.pk.attname: "s.new_consumer"}
        person.update({name: f"s.{stage_column}" for name, (stage_column, _, _)
                       in zip(CONSUMER_FIELDS, n.person, strict=True)})
        # The ids were handed out in line order above: the rows need no sort.
        sql, more, person_values = _insert(consumer, n.consumer_table, person, {}, now)
        parts.append(f"p AS ({sql})")
        params += more
        case = {TheftCase._meta.pk.attname: "s.new_case", "case_number": "s.case_number",
                "consumer_id": "s.new_consumer"}
        case.update({name: f"s.{stage_column}" for name, (stage_column, _, _)
                     in zip(CASE_FIELDS, n.case, strict=True)})
        sql, more, case_values = _insert(TheftCase, n.case_table, case,
                                         {"fed_at": now, "fed_by_id": user_id}, now)
        parts.append(f"c AS ({sql})")
        params += more
        sql, more = history_insert_sql(consumer, "s", when=now, reason=self.change_reason,
                                       history_type="+", user_id=user_id, values=person_values)
        parts.append(f"h AS ({sql})")
        params += more
        sql, more = history_insert_sql(TheftCase, "s", when=now, reason=self.change_reason,
                                       history_type="+", user_id=user_id, values=case_values)
        return "WITH " + ", ".join(parts) + " " + sql, params + more

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

    # --- Kept rows (a preview's, applied later) ----------------------------------------

    def keep(self, description: str) -> None:
        """Keep the preview's staged rows past :meth:`close`, described by ``description``."""
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON TABLE {self.stage} IS %s", [description])  # noqa: S608  # nosec B608
        self.drop_on_close = False

    def apply_kept(self, rows: int) -> dict[str, int] | None:
        """Classify and write the kept rows of a preview, in SQL alone.

        Returns the counts, or None — nothing written — when the rows are not
        all there (an unlogged table is emptied by a crash) or when a row
        the preview accepted is now refused, or the other way round (a case
        moved out of the uploader's jurisdiction meanwhile, say): the caller
        then reads the file again, and the report says why for each row.
        """
        n, stage = self.names, self.stage
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {stage}")  # noqa: S608  # nosec B608
            if cursor.fetchone()[0] != rows:
                return None
            # Classified all at once; only the rows to write or refuse are
            # marked (a re-import of an unchanged list rewrites no kept row).
            cursor.execute(
                f"WITH cls AS ({self._classified}upper(c.{n.case_number}) = s.key), "  # noqa: S608  # nosec B608
                f"marked AS (UPDATE {stage} k SET case_id = cls.case_id, "
                "consumer_id = cls.consumer_id, action = cls.action, person = cls.person, "
                "money = cls.money FROM cls WHERE k.line = cls.line AND cls.action <> 'n' "
                "RETURNING 1) "
                "SELECT count(*) FILTER (WHERE action = 'n'), (SELECT count(*) FROM marked) "
                "FROM cls", [self.prefix])
            unchanged, marked = cursor.fetchone()
            self.unmarked_existing = unchanged > 0
            if marked:
                self._lock_changed(cursor, 0)
            cursor.execute(
                f"SELECT count(*) FILTER (WHERE coalesce(refused, '') <> CASE "  # noqa: S608  # nosec B608
                "WHEN action IN ('o', 'k') THEN action ELSE '' END), "
                "count(*) FILTER (WHERE action = 'u'), "
                f"count(*) FILTER (WHERE action = 'n') FROM {stage}")
            moved, updated, unchanged_locked = cursor.fetchone()
        # Unchanged: at first sight, or once locked (changed back meanwhile).
        if moved:
            return None
        self.staged = rows
        self._write()
        return {"created": rows - unchanged - marked, "updated": updated,
                "unchanged": unchanged + unchanged_locked}

    def close(self) -> None:
        if not self.drop_on_close:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")

