"""The organisation's units held in each process, for the offices the public pages show.

A lookup shows each case's sub-division office and its division (issue 16):
joining both units into the case query was a third of that query's ORM
work, on the page most people open on the last day of a phase (issue 18).
The units are a few hundred rows that change when an office moves or its
phone changes, so each process reads them all once and keeps them for
``ORG_CATALOGUE_SECONDS`` (30 s by default):

- a unit saved or deleted in this process (admin, ``org_tree_load``, a
  test) forgets the copy at once and again when its transaction commits;
- other processes (the other gunicorn workers) see the change within the TTL.

Only what the public is shown reads this copy: jurisdiction, staff pages
and everything that writes read the database. The units are shared
between requests, each with its ``parent`` from the same copy: read them,
never change them.
"""

from __future__ import annotations

from common.process_copy import ProcessCopy
from organization.models import OrgUnit


def _load() -> dict[int, OrgUnit]:
    units = {unit.pk: unit for unit in OrgUnit.objects.order_by("path")}
    for unit in units.values():
        # The division of a sub-division, from this copy: no query when shown.
        unit.parent = units.get(unit.parent_id)
    return units


_copy = ProcessCopy(_load, ttl_setting="ORG_CATALOGUE_SECONDS", default_ttl=30,
                    models=(OrgUnit,))


def units() -> dict[int, OrgUnit]:
    """Return this process's copy of every unit, by primary key."""
    return _copy.get()


def unit(pk: int | None) -> OrgUnit | None:
    """Return the unit ``pk`` with its parent, or None (no such unit, or no ``pk``)."""
    if pk is None:
        return None
    found = units().get(pk)
    if found is None:
        # Created since this copy was read, in another process: read again once.
        forget()
        found = units().get(pk)
    return found


def forget(**_kwargs) -> None:
    """Drop this process's copy: the next reader loads the units afresh."""
    _copy.forget()
