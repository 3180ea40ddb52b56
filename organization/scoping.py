"""Jurisdiction, expressed once (DESIGN §2, §7).

Every staff read of a scoped model goes through :func:`visible_to`. A user
sees the rows of their own unit and of every unit below it; another unit's
row is filtered out, so a view answers 404 for it exactly as for a missing
one. Scoped models name the foreign key to their sub-division in
``JURISDICTION_FIELD`` (default ``"sub_division"``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404

from organization.models import OrgUnit, UnitKind


def user_unit(user) -> OrgUnit | None:
    """Return the unit a staff user works in, or None for a non-staff user."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.unit if profile is not None else None


def sees_everything(user) -> bool:
    """Superusers see the whole discom (they administer it)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def is_discom_wide(user) -> bool:
    """Return True for superusers and staff of the discom itself (Director, IT support)."""
    if sees_everything(user):
        return True
    unit = user_unit(user)
    return unit is not None and unit.kind == UnitKind.DISCOM


def unit_path_prefix(user) -> str | None:
    """Return the path prefix of the user's jurisdiction; "" means everything."""
    if sees_everything(user):
        return ""
    unit = user_unit(user)
    return unit.path if unit is not None else None


def visible_to(user, queryset: QuerySet, *, field: str | None = None) -> QuerySet:
    """Narrow ``queryset`` to the rows inside ``user``'s jurisdiction.

    ``field`` is the lookup to the row's sub-division (``OrgUnit``); by default
    the model's ``JURISDICTION_FIELD`` attribute, or ``"sub_division"``. For
    ``OrgUnit`` itself the unit's own path is used.
    """
    return _within(unit_path_prefix(user), queryset, field=field)


def visible_in(unit: OrgUnit | None, queryset: QuerySet, *, field: str | None = None) -> QuerySet:
    """Narrow ``queryset`` to the rows of ``unit`` and every unit below it.

    The same gate as :func:`visible_to`, for a principal that is a unit
    rather than a person: a machine client of the integration API (DESIGN
    §8) belongs to an ``OrgUnit``. No unit sees nothing.
    """
    return _within(unit.path if unit is not None else None, queryset, field=field)


def unit_ids_within(unit: OrgUnit | None) -> list[int]:
    """Return the ids of ``unit`` and every unit below it (through :func:`visible_in`).

    For a hot keyset scan (the API's ledger feed): ``sub_division_id IN
    (ids)`` keeps the scan on the sequence index whatever the planner's
    statistics say, where a join on the unit's path may not.
    """
    return list(visible_in(unit, OrgUnit.objects.all()).values_list("pk", flat=True))


def _within(prefix: str | None, queryset: QuerySet, *, field: str | None) -> QuerySet:
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    model: type[Model] = queryset.model
    if model is OrgUnit:
        return queryset.filter(path__startswith=prefix)
    lookup = field or getattr(model, "JURISDICTION_FIELD", "sub_division")
    return queryset.filter(**{f"{lookup}__path__startswith": prefix})


def units_visible_to(user, *, kind: str | None = None) -> QuerySet:
    """Return the org units inside the user's jurisdiction (for choices)."""
    units = visible_to(user, OrgUnit.objects.all())
    if kind:
        units = units.filter(kind=kind)
    return units


def sub_divisions_visible_to(user) -> QuerySet:
    return units_visible_to(user, kind=UnitKind.SUB_DIVISION)


def is_staff_user(user) -> bool:
    """Return True for a logged-in officer with a profile, or a superuser."""
    return sees_everything(user) or user_unit(user) is not None


def staff_required(view):
    """Log in first; then only an officer with a jurisdiction gets past (else 404).

    404, not 403: a staff page says nothing to someone who is not staff.
    """

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff_user(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    # The mark that tests/core/test_architecture.py finds staff pages by
    # (decorators outside this one copy it through functools.wraps).
    wrapped.staff_required = True
    return wrapped
