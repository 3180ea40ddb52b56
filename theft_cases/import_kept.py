"""A preview's validated rows, kept for its apply (PostgreSQL; issue 18).

The preview of a file import (``theft_cases.importing.run_import`` with
``keep_for``) stages its valid rows in an unlogged table named after the
import, ``import_kept_<pk>``, and describes them in the table's comment:
how many rows, and everything the rows' validity depended on — the IST day
(the "one calendar month" rule), the uploader and their jurisdiction, the
sub-divisions (codes, ids and places in the tree) and the report's
language. The apply then classifies and writes those rows in SQL alone
(:meth:`theft_cases.bulk_apply.BulkWriter.apply_kept`), instead of reading
and checking the file a second time.

The kept rows are only ever a shortcut: when the description differs from
what the apply finds (another day, a changed tree, another language), when
the table is missing or short (a crash empties unlogged tables), or when the
database moved a row across a rule meanwhile, the apply reads the file
again, exactly as without them. So nothing depends on a kept table living:
it is dropped by the apply, a cancel, a new validation, and
:func:`drop_stale`, which the stalled-import job runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import connection

from organization.models import OrgUnit, UnitKind
from theft_cases.models import CaseImport, ImportStatus

PREFIX = "import_kept_"
# A preview left this long unconfirmed loses its kept rows (its apply reads
# the file again).
KEEP_FOR = dt.timedelta(days=3)


def supported() -> bool:
    return connection.vendor == "postgresql"


def table_name(case_import_id: int) -> str:
    return f"{PREFIX}{int(case_import_id)}"


def sub_division_map() -> dict[str, tuple[int, str]]:
    """Sub-division code → (id, path): what the import checks a row's unit against."""
    return {
        code: (pk, path) for code, pk, path in OrgUnit.objects.filter(
            kind=UnitKind.SUB_DIVISION
        ).values_list("code", "pk", "path")
    }


def fingerprint(units: dict[str, tuple[int, str]]) -> str:
    text = json.dumps(sorted((code, pk, path) for code, (pk, path) in units.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def description(*, case_import_id: int, user_id: int, prefix: str, today: dt.date,
                language: str, units: dict[str, tuple[int, str]],
                rows: int | None = None) -> dict:
    """What a kept table's rows were checked against (and, once complete, how many)."""
    described = {"import": case_import_id, "user": user_id, "prefix": prefix,
                 "today": today.isoformat(), "language": language,
                 "units": fingerprint(units)}
    if rows is not None:
        described["rows"] = rows
    return described


def read_description(case_import_id: int) -> dict | None:
    """The kept table's description, or None (no table, or a preview never finished)."""
    if not supported():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')",
                       [table_name(case_import_id)])
        row = cursor.fetchone()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def drop(case_import_id: int) -> None:
    if not supported():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table_name(case_import_id)}")


def kept_import_ids() -> list[int]:
    """The imports that have a kept table now."""
    if not supported():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE %s "
            "AND pg_table_is_visible(c.oid)", [PREFIX.replace("_", r"\_") + "%"])
        names = [row[0] for row in cursor.fetchall()]
    return sorted(int(name[len(PREFIX):]) for name in names
                  if name[len(PREFIX):].isdigit())


def drop_stale(*, now: dt.datetime) -> int:
    """Drop the kept tables no apply will use: the import is done, failed,
    cancelled or gone, or its preview waited longer than :data:`KEEP_FOR`."""
    ids = kept_import_ids()
    if not ids:
        return 0
    waiting = set(CaseImport.objects.filter(
        pk__in=ids, status__in=[ImportStatus.VALIDATING, ImportStatus.PREVIEWED],
        uploaded_at__gte=now - KEEP_FOR,
    ).values_list("pk", flat=True))
    applying = set(CaseImport.objects.filter(
        pk__in=ids, status=ImportStatus.APPLYING).values_list("pk", flat=True))
    stale = [pk for pk in ids if pk not in waiting and pk not in applying]
    for pk in stale:
        drop(pk)
    return len(stale)
