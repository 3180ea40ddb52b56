"""Writes to the organisation: the unit tree, roles and staff accounts."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ServiceError
from organization.models import KIND_DEPTH, OrgUnit, StaffProfile, UnitKind
from organization.roles import ROLE_PERMISSIONS, group_name

TREE_COLUMNS = ("kind", "code", "parent_code", "name_en", "name_hi")
# Optional: the office's contacts (sub-divisions and divisions). A column
# absent from the file leaves the stored value (edited in the admin) alone.
CONTACT_COLUMNS = ("address_hi", "address_en", "phone", "hours_hi", "hours_en")
# Parent kind each kind must hang from.
PARENT_KIND = {
    UnitKind.ZONE: UnitKind.DISCOM,
    UnitKind.CIRCLE: UnitKind.ZONE,
    UnitKind.DIVISION: UnitKind.CIRCLE,
    UnitKind.SUB_DIVISION: UnitKind.DIVISION,
}


class OrgTreeError(ServiceError):
    """The tree file is not a valid tree (the message is for the operator)."""


def read_tree_file(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in TREE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise OrgTreeError(_("Columns missing from the file: %(columns)s.")
                               % {"columns": ", ".join(missing)}, code="columns")
        columns = TREE_COLUMNS + tuple(c for c in CONTACT_COLUMNS if c in reader.fieldnames)
        return [{k: (row.get(k) or "").strip() for k in columns} for row in reader]


@transaction.atomic
def org_tree_load(*, rows: Iterable[dict[str, str]]) -> dict[str, int]:
    """Create or update the units in ``rows`` (parents before children).

    Idempotent: loading the same rows again changes nothing. Units not in the
    file are left alone (cases may hang from them).
    """
    rows = list(rows)
    known = {u.code: u for u in OrgUnit.objects.all()}
    pending = {r["code"]: r for r in rows}
    if len(pending) != len(rows):
        raise OrgTreeError(_("A unit code appears twice in the file."), code="duplicate")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    while pending:
        progressed = False
        for code, row in list(pending.items()):
            kind = row["kind"]
            if kind not in UnitKind.values:
                raise OrgTreeError(_("%(code)s: unknown kind of unit %(kind)r.")
                                  % {"code": code, "kind": kind}, code="kind")
            parent = None
            if row["parent_code"]:
                if row["parent_code"] in pending:
                    continue
                parent = known.get(row["parent_code"])
                if parent is None:
                    raise OrgTreeError(_("%(code)s: unknown parent %(parent)r.")
                                      % {"code": code, "parent": row["parent_code"]},
                                      code="parent")
                if parent.kind != PARENT_KIND.get(kind):
                    raise OrgTreeError(_("%(code)s: a %(kind)s cannot sit under a %(parent)s.")
                                      % {"code": code, "kind": kind, "parent": parent.kind},
                                      code="parent")
            elif kind != UnitKind.DISCOM:
                raise OrgTreeError(_("%(code)s: only a discom has no parent.") % {"code": code},
                                  code="parent")
            unit = known.get(code) or OrgUnit(code=code)
            before = _unit_state(unit)
            unit.kind, unit.parent = kind, parent
            unit.name_en, unit.name_hi = row["name_en"], row["name_hi"]
            for column in CONTACT_COLUMNS:
                if column in row:
                    setattr(unit, column, row[column])
            unit.path, unit.depth = unit.compute_path(), KIND_DEPTH[UnitKind(kind)]
            after = _unit_state(unit)
            if before[0] is None:
                unit.save()
                counts["created"] += 1
            elif before != after:
                unit.save()
                _repath_below(unit)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            known[code] = unit
            del pending[code]
            progressed = True
        if not progressed:
            raise OrgTreeError(_("A cycle or a missing parent among: %(codes)s.")
                               % {"codes": ", ".join(sorted(pending))}, code="cycle")
    return counts


def _unit_state(unit: OrgUnit) -> tuple:
    return (unit.pk, unit.kind, unit.parent_id, unit.name_en, unit.name_hi,
            *(getattr(unit, c) for c in CONTACT_COLUMNS))


def _repath_below(unit: OrgUnit) -> None:
    for child in unit.children.all():
        child.path = child.compute_path()
        child.save(update_fields=["path"])
        _repath_below(child)


def role_groups_ensure() -> None:
    """Create one group per role with the permissions of ``ROLE_PERMISSIONS``."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


@transaction.atomic
def staff_user_ensure(*, username: str, role: str, unit_code: str, password: str,
                      first_name: str = "", last_name: str = "") -> bool:
    """Create the officer if missing; return True when created."""
    user_model = get_user_model()
    unit = OrgUnit.objects.get(code=unit_code)
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(password)
        user.save()
    StaffProfile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    user.groups.add(Group.objects.get(name=group_name(role)))
    return created
