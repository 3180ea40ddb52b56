"""An ORM query compiled to SQL once per process, then run with other values.

The busiest public reads (the case lookup, and whether a case already has a
live registration) are the same query every time with other values. Django
compiles a queryset's SQL afresh on every evaluation: for these small reads
that is several times the database's own work (the lookup's two queries cost
0.9 ms of the web worker's CPU, of which 0.15 ms was sending them and
reading the rows). Here the queryset is built once, with a placeholder for
each value, and compiled by Django; each later call substitutes the values
for the placeholders among the parameters and runs the same SQL.

Only ``values_list`` querysets of plain fields: each column is converted as
the ORM converts that field (the database backend's converters, then the
field's own), so a row reads exactly as ``values_list`` would give it.

A placeholder must reach the parameters unchanged: an ``int`` compared with
a key, or a ``str`` inside ``Value(…)`` (a lookup such as ``iexact`` may
rewrite its text on some databases). Compiling checks that each placeholder
appears once among the parameters and refuses the query otherwise, so a
change of Django that transformed one fails the tests, not a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

# Distinct from any value a page could ask for: negative ids, text with NUL.
_INT_BASE = -7_319_000_000_000
_TEXT = "\x00placeholder-{}\x00"


class CompiledQuery:
    """``build(**placeholders)`` → a queryset, read as ``values_list(*fields)``.

    ``kinds`` names each value and its type (``int`` or ``str``).
    """

    def __init__(self, build: Callable[..., QuerySet], *, fields: Sequence[str],
                 **kinds: type):
        self._build, self._fields, self._kinds = build, tuple(fields), kinds
        # Per database alias; two threads compiling at once store the same value.
        self._compiled: dict[str, tuple] = {}

    def _placeholders(self) -> dict[str, object]:
        return {name: (_INT_BASE - i if kind is int else _TEXT.format(i))
                for i, (name, kind) in enumerate(self._kinds.items())}

    def _compile(self, using: str):
        placeholders = self._placeholders()
        queryset = self._build(**placeholders).values_list(*self._fields)
        connection = connections[using]
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        params = list(params)
        positions = {}
        for name, placeholder in placeholders.items():
            found = [i for i, p in enumerate(params) if type(p) is type(placeholder)
                     and p == placeholder]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"CompiledQuery: the value {name!r} reaches the SQL {len(found)} times")
            positions[name] = found[0]
        converters = []
        for path in self._fields:
            field = _field(queryset.model, path)
            column = field.get_col(field.model._meta.db_table)
            chain = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            converters.append((column, chain))
        if not any(chain for _, chain in converters):
            converters = []
        return sql, params, positions, converters

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """Run the query with ``values``; return its rows, converted as the ORM would."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, template, positions, converters = compiled
        params = list(template)
        for name, position in positions.items():
            value = values[name]
            if not isinstance(value, self._kinds[name]):
                raise TypeError(f"{name} must be {self._kinds[name].__name__}")
            params[position] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in rows]
        return [tuple(_converted(value, column, chain, connection) for value, (column, chain)
                      in zip(row, converters, strict=True)) for row in rows]


def _converted(value, column, chain: Sequence, connection):
    for converter in chain:
        value = converter(value, column, connection)
    return value


def _field(model, path: str):
    """The field at ``path`` ("consumer__name") from ``model``."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)
