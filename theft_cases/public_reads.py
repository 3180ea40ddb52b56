"""A case with its consumer, as the public pages read it (compiled once per process).

The lookup, the OTP start and every wizard step read one or a few cases
with their consumer: the same queries each time with other values, so they
are compiled once per process (:mod:`common.compiled_query`) and the rows
made into the models directly (``Model.from_db``, as the ORM makes them).
"""

from __future__ import annotations

from django.db.models import CharField, Q, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact

from common.compiled_query import CompiledQuery
from theft_cases.models import Consumer, TheftCase

LOOKUP_LIMIT = 10
_CASE_FIELDS = [field.attname for field in TheftCase._meta.concrete_fields]
_CONSUMER_FIELDS = [field.attname for field in Consumer._meta.concrete_fields]
_READ = [*_CASE_FIELDS, *(f"consumer__{name}" for name in _CONSUMER_FIELDS)]


def _cases(condition: Q):
    return TheftCase.objects.filter(condition).order_by("case_number")[:LOOKUP_LIMIT]


def _number_is(number: str) -> Q:
    # Case numbers are one whatever their capitals (DESIGN §5): the same
    # UPPER(…) = UPPER(…) as ``iexact`` on PostgreSQL, served by the unique
    # index on upper(case_number).
    return Q(Exact(Upper("case_number"), Upper(Value(number, output_field=CharField()))))


_BY = {
    "number": CompiledQuery(lambda number: _cases(_number_is(number)), fields=_READ,
                            number=str),
    "account": CompiledQuery(lambda account: _cases(Q(consumer__account_number=account)),
                             fields=_READ, account=str),
    "both": CompiledQuery(lambda number, account: _cases(
        _number_is(number) | Q(consumer__account_number=account)), fields=_READ,
        number=str, account=str),
    "id": CompiledQuery(lambda pk: TheftCase.objects.filter(pk=pk), fields=_READ, pk=int),
}


def _made(rows: list[tuple]) -> list[TheftCase]:
    split, db = len(_CASE_FIELDS), TheftCase.objects.db
    cases = []
    for row in rows:
        case = TheftCase.from_db(db, _CASE_FIELDS, row[:split])
        case.consumer = Consumer.from_db(db, _CONSUMER_FIELDS, row[split:])
        cases.append(case)
    return cases


def cases_found(*, case_number: str = "", account_number: str = "") -> list[TheftCase]:
    """The cases with this case number (whatever its capitals), or on this account
    number, in case-number order, at most :data:`LOOKUP_LIMIT`; none if both are blank."""
    number, account = case_number.strip(), account_number.strip()
    if number and account:
        return _made(_BY["both"].rows(number=number, account=account))
    if number:
        return _made(_BY["number"].rows(number=number))
    if account:
        return _made(_BY["account"].rows(account=account))
    return []


def case_with_consumer(pk: int) -> TheftCase | None:
    """The case ``pk`` with its consumer, or None."""
    found = _made(_BY["id"].rows(pk=pk))
    return found[0] if found else None
