"""Set-based writes with their history rows (django-simple-history#174).

``QuerySet.update()`` and ``INSERT … SELECT`` are invisible to
django-simple-history; the owners of set-based transitions (the flagging
sweep, ``ots_scheme.lifecycle``, the import) write the matching historical
rows with :func:`record_history`, one statement per table, or — on
PostgreSQL — in the same statement as the write, from its ``RETURNING``
rows (:func:`insert_select_with_history`, :func:`update_with_history`,
:func:`history_insert_sql`).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, F, QuerySet, Value

HISTORY_OWN_FIELDS = {
    "history_id", "history_date", "history_change_reason", "history_type", "history_user",
}


def _insert_select_sql(table: str, columns: dict[str, object],
                       queryset: QuerySet) -> tuple[str, list]:
    """``INSERT INTO table (columns) SELECT … FROM queryset ON CONFLICT DO NOTHING``."""
    aliases = {f"c{i}": expression for i, expression in enumerate(columns.values())}
    select = queryset.order_by().values(**aliases)
    sql, params = select.query.get_compiler(using=queryset.db).as_sql()
    quote = connection.ops.quote_name
    target = ", ".join(quote(column) for column in columns)
    source = ", ".join(f"s.{quote(alias)}" for alias in aliases)
    statement = (
        f"INSERT INTO {quote(table)} ({target}) "  # noqa: S608 - names from model meta  # nosec B608
        f"SELECT {source} FROM ({sql}) s WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    return statement, list(params)


def insert_select(table: str, columns: dict[str, object], queryset: QuerySet) -> int:
    """Run ``INSERT INTO table (columns) SELECT … FROM queryset``; return rows inserted.

    ``columns`` maps each target column to an expression over ``queryset``'s
    model. Rows that would break a unique constraint (the one open item per
    case) are skipped, so a concurrent insert can never make a duplicate.
    """
    with connection.cursor() as cursor:
        cursor.execute(*_insert_select_sql(table, columns, queryset))
        return max(cursor.rowcount, 0)


def _history_columns(history_model, *, when: dt.datetime, reason: str, history_type: str,
                     user_id: int | None) -> dict[str, object]:
    columns: dict[str, object] = {}
    for field in history_model._meta.concrete_fields:
        if field.name in HISTORY_OWN_FIELDS:
            continue
        columns[field.column] = F(field.attname)
    columns["history_date"] = Value(when, output_field=DateTimeField())
    columns["history_change_reason"] = Value(reason, output_field=CharField())
    columns["history_type"] = Value(history_type, output_field=CharField())
    if user_id is not None:
        user_field = history_model._meta.get_field("history_user")
        columns[user_field.column] = Value(user_id, output_field=BigIntegerField())
    return columns


def record_history(queryset: QuerySet, *, when: dt.datetime, reason: str,
                   history_type: str = "~", user_id: int | None = None) -> int:
    """Write one historical row per row of ``queryset``, as it is now.

    The set-based counterpart of saving each instance under
    django-simple-history: copies every tracked column in one statement.
    ``user_id`` is the ``history_user`` (none: a system change).
    """
    history_model = queryset.model.history.model
    columns = _history_columns(history_model, when=when, reason=reason,
                               history_type=history_type, user_id=user_id)
    return insert_select(history_model._meta.db_table, columns, queryset)


def _history_select(history_model, source: str, *, when: dt.datetime, reason: str,
                    history_type: str, user_id: int | None = None,
                    values: dict[str, tuple[str, list]] | None = None,
                    ) -> tuple[str, str, list]:
    """Return (columns, SELECT list over ``source``, params) of a history insert.

    ``source`` names a relation with the model's own columns, such as the
    ``RETURNING *`` rows of a write in a data-modifying ``WITH``; or, with
    ``values`` (each tracked field's attname → its SQL expression and
    parameters), any relation those expressions read.
    """
    quote = connection.ops.quote_name
    history: dict[str, str] = {}
    params: list = []
    for field in history_model._meta.concrete_fields:
        if field.name in HISTORY_OWN_FIELDS:
            continue
        if values is None:
            history[field.column] = f"{source}.{quote(field.column)}"
        else:
            expression, more = values[field.attname]
            history[field.column] = expression
            params.extend(more)
    own = [("history_date", when), ("history_change_reason", reason),
           ("history_type", history_type)]
    if user_id is not None:
        own.append((history_model._meta.get_field("history_user").column, user_id))
    for column, value in own:
        history[column] = "%s"
        params.append(value)
    return ", ".join(quote(column) for column in history), ", ".join(history.values()), params


def history_insert_sql(model, source: str, *, when: dt.datetime, reason: str,
                       history_type: str, user_id: int | None,
                       values: dict[str, tuple[str, list]] | None = None) -> tuple[str, list]:
    """Return ``INSERT INTO <history> (…) SELECT … FROM source`` and its parameters.

    The history rows are written from the rows just written (``source``),
    without reading the table again: one row per row of ``source``, as
    :func:`record_history`. With ``values`` the rows are those the same
    expressions wrote into the model's table (:mod:`theft_cases.bulk_apply`
    writes a new case and its history from the same staged row, without
    keeping the inserted rows for a ``RETURNING``).
    """
    history_model = model.history.model
    columns, select, params = _history_select(history_model, source, when=when,
                                              reason=reason, history_type=history_type,
                                              user_id=user_id, values=values)
    table = connection.ops.quote_name(history_model._meta.db_table)
    return (f"INSERT INTO {table} ({columns}) SELECT {select} FROM {source}",  # noqa: S608  # nosec B608
            params)


def update_with_history(queryset: QuerySet, values: dict[str, object], *, when: dt.datetime,
                        reason: str, reread: QuerySet) -> int:
    """Set ``values`` (field name → plain value) on the rows of ``queryset``,
    each changed row with its "~" history row; return the number changed.

    On PostgreSQL one statement: the UPDATE ``RETURNING`` its new rows feeds
    the history insert, so they are not looked up again. Elsewhere (SQLite)
    ``queryset.update()``, then :func:`record_history` over ``reread`` (a
    queryset that finds exactly the rows just changed).
    """
    if connection.vendor != "postgresql":
        changed = queryset.update(**values)
        if changed:
            record_history(reread, when=when, reason=reason)
        return changed
    model = queryset.model
    quote = connection.ops.quote_name
    assignments, params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    rows, row_params = queryset.order_by().values("pk").query.get_compiler(
        using=queryset.db).as_sql()
    history_model = model.history.model
    columns, select, history_params = _history_select(history_model, "u", when=when,
                                                      reason=reason, history_type="~")
    statement = (
        f"WITH u AS (UPDATE {quote(model._meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608 - names from model meta  # nosec B608
        f"WHERE {quote(model._meta.pk.column)} IN ({rows}) RETURNING *) "
        f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}) SELECT {select} FROM u"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *row_params, *history_params])
        return max(cursor.rowcount, 0)


def insert_select_with_history(model, columns: dict[str, object], queryset: QuerySet, *,
                               when: dt.datetime, reason: str, history_type: str = "+",
                               reread: QuerySet) -> int:
    """:func:`insert_select` into ``model``'s table, each new row with its history row.

    On PostgreSQL one statement: the insert ``RETURNING`` its rows feeds the
    history insert (a data-modifying CTE), so the new rows are not looked up
    again. Elsewhere (SQLite) two: the insert, then :func:`record_history`
    over ``reread``, a queryset that finds exactly the rows just inserted.
    Returns the number of rows inserted.
    """
    if connection.vendor != "postgresql":
        inserted = insert_select(model._meta.db_table, columns, queryset)
        if inserted:
            record_history(reread, when=when, reason=reason, history_type=history_type)
        return inserted
    insert, params = _insert_select_sql(model._meta.db_table, columns, queryset)
    history_model = model.history.model
    history_columns, history_select, history_params = _history_select(
        history_model, "i", when=when, reason=reason, history_type=history_type)
    statement = (
        f"WITH i AS ({insert} RETURNING *) "  # noqa: S608 - names from model meta  # nosec B608
        f"INSERT INTO {connection.ops.quote_name(history_model._meta.db_table)} "
        f"({history_columns}) SELECT {history_select} FROM i"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *history_params])
        return max(cursor.rowcount, 0)
