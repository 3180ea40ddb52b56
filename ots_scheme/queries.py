"""Reads about schemes and phases shared by pages, tasks and commands."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min, Prefetch

from ots_scheme.models import Phase, Scheme


def schemes_with_phases():
    """Return active schemes with their phases and registration window."""
    return (
        Scheme.objects.filter(is_active=True)
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("number")))
        .annotate(opens_on=Min("phases__starts_on"), closes_on=Max("phases__ends_on"))
        .order_by("-is_demo", "code")
    )


def phase_on(scheme: Scheme, day: dt.date) -> Phase | None:
    """Return the phase of ``scheme`` whose dates contain ``day``, if any."""
    for phase in scheme.phases.all():
        if phase.starts_on <= day <= phase.ends_on:
            return phase
    return None


def open_scheme(day: dt.date) -> Scheme | None:
    """Return the scheme open for registration on ``day``; real before demo."""
    candidates = [s for s in schemes_with_phases() if phase_on(s, day)]
    candidates.sort(key=lambda s: (s.is_demo, s.code))
    return candidates[0] if candidates else None
