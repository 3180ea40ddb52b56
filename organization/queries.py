"""Reads of the organisation shared by public pages: the offices people visit."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from organization.models import OrgUnit, UnitKind


def office_of(unit: OrgUnit | None) -> OrgUnit | None:
    """Return ``unit`` with its parent (the division) loaded, for the contact box."""
    if unit is None:
        return None
    return OrgUnit.objects.select_related("parent").filter(pk=unit.pk).first()


def offices() -> QuerySet:
    """Return the divisions, each with its sub-divisions, in tree order."""
    return (OrgUnit.objects.filter(kind=UnitKind.DIVISION)
            .select_related("parent")
            .prefetch_related(Prefetch(
                "children", queryset=OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION),
                to_attr="sub_divisions"))
            .order_by("path"))
