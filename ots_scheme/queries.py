"""Reads about schemes and phases shared by pages, tasks and commands."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min, Prefetch

from ots_scheme import catalogue
from ots_scheme.models import Phase, Scheme
from ots_scheme.settlement import quote_in_phase


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
    return _phase_in(scheme.phases.all(), day)


def open_scheme(day: dt.date) -> Scheme | None:
    """Return the scheme open for registration on ``day``; real before demo.

    Read from this process's scheme catalogue (``ots_scheme.catalogue``):
    code that writes under the scheme loads it again in its transaction.
    """
    candidates = [e.scheme for e in catalogue.active() if _phase_in(e.phases, day)]
    candidates.sort(key=lambda s: (s.is_demo, s.code))
    return candidates[0] if candidates else None


def scheme_by_id(pk) -> Scheme | None:
    """The scheme ``pk`` with its phases: from this process's catalogue when it is
    active (a journey's steps), else from the database (one closed since)."""
    found = next((e.scheme for e in catalogue.active() if e.scheme.pk == pk), None)
    if found is None and pk:
        found = Scheme.objects.prefetch_related("phases").filter(pk=pk).first()
    return found


def _phase_in(phases, day: dt.date) -> Phase | None:
    return next((p for p in phases if p.starts_on <= day <= p.ends_on), None)


def scheme_cards(today: dt.date) -> list[dict]:
    """Return each active scheme with its phases and where ``today`` falls (home page).

    ``version`` names the scheme rows (``catalogue.current``): the home page
    caches each scheme's card under it.
    """
    snapshot = catalogue.current()
    return open_first([{**_where_today(entry.scheme, entry.phases, today),
                        "phases": entry.phases, "version": snapshot.version}
                       for entry in snapshot.entries])


def open_first(rows: list[dict]) -> list[dict]:
    """Order scheme rows as a person needs them: the scheme open today first,
    then one to come, then closed ones; real before demo within each."""
    def rank(row: dict):
        state = 0 if row["current"] else 1 if row["upcoming"] else 2
        return (state, row["scheme"].is_demo, row["scheme"].code)

    return sorted(rows, key=rank)


def _where_today(scheme: Scheme, phases, today: dt.date) -> dict:
    """The open phase, days left in it, and whether the scheme is over or to come."""
    current = _phase_in(phases, today)
    return {
        "scheme": scheme,
        "current": current,
        "days_left": (current.ends_on - today).days + 1 if current else None,
        "closed": bool(scheme.closes_on and scheme.closes_on < today),
        "upcoming": bool(scheme.opens_on and scheme.opens_on > today),
    }


# --- The calculator (settlement engine, read only) ----------------------------


def calculator_schemes(*, today: dt.date, amounts: dict | None = None) -> list[dict]:
    """Return each active scheme's phases side by side, quoted for ``amounts``.

    The scheme open today comes first (:func:`open_first`); a closed one
    follows, its figures still shown for reference. ``current`` and
    ``days_left`` come from whichever phase is open today. ``version`` names
    the scheme rows the figures came from (``catalogue.current``), for the
    page's cached fragments.
    """
    rows = []
    snapshot = catalogue.current()
    for entry in snapshot.entries:
        rules, phases = entry.rules, entry.phases
        row = _where_today(entry.scheme, phases, today)
        current = row["current"]
        cells = []
        for phase, rule in zip(phases, rules.phases, strict=True):
            cells.append(
                {
                    "phase": phase,
                    "is_current": current is not None and phase.pk == current.pk,
                    "is_past": phase.ends_on < today,
                    "quote": (
                        quote_in_phase(rules, rule, **amounts) if amounts is not None else None
                    ),
                }
            )
        rows.append({**row, "phases": cells, "version": snapshot.version})
    return open_first(rows)
