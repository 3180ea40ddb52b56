"""The active schemes and their phases, held in each process for the public pages.

Every public page (home, lookup, calculator) needs the schemes and their
phases; they change a few times in a scheme's life (a Government
notification, an admin correction) but were read from the database on every
request — two queries and their ORM work, a third of a lookup page's cost on
the last day of a phase. Here they are read once and kept for
``SCHEME_CATALOGUE_SECONDS`` (30 s by default):

- a change saved in this process (admin, ``seed_demo``, a test) forgets the
  copy at once and again when its transaction commits;
- other processes (the other gunicorn workers, Celery) see it within the
  TTL. Nothing that moves money reads this copy: registering, freezing and
  payments load the scheme from the database inside their transaction.

The objects are shared between requests: read them, never change them.

``version()`` names the copy by its content (every field of every active
scheme and phase): the public pages key their cached fragments on it
(``redportal.fragments``), so a fragment drawn from old rows is never served
once this process has read the new ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from common.process_copy import ProcessCopy
from ots_scheme.models import Phase, Scheme
from ots_scheme.services import rules_for
from ots_scheme.settlement import SchemeRules


@dataclass(frozen=True)
class CatalogueEntry:
    """One active scheme, its phases in order and the engine's rules for it."""

    scheme: Scheme
    phases: tuple[Phase, ...]
    rules: SchemeRules


class Snapshot(NamedTuple):
    """The active schemes and the digest of their content (``version``)."""

    entries: tuple[CatalogueEntry, ...]
    version: str


def _load() -> tuple[CatalogueEntry, ...]:
    # function-level: a cycle, ots_scheme.queries imports this module at module level
    from ots_scheme.queries import schemes_with_phases

    return tuple(
        CatalogueEntry(scheme=scheme, phases=tuple(scheme.phases.all()), rules=rules_for(scheme))
        for scheme in schemes_with_phases()
    )


def _digest(entries: tuple[CatalogueEntry, ...]) -> str:
    """Name the rows by their content: any edit of a scheme or phase changes it."""
    parts = []
    for entry in entries:
        for row in (entry.scheme, *entry.phases):
            parts.append(repr([(f.attname, getattr(row, f.attname))
                               for f in row._meta.concrete_fields]))
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()


def _snapshot() -> Snapshot:
    entries = _load()
    return Snapshot(entries=entries, version=_digest(entries))


_copy = ProcessCopy(_snapshot, ttl_setting="SCHEME_CATALOGUE_SECONDS", default_ttl=30,
                    models=(Scheme, Phase))


def current() -> Snapshot:
    """Return this process's copy: the entries and their version, read together."""
    return _copy.get()


def active() -> tuple[CatalogueEntry, ...]:
    """Return the active schemes, real ones and the demo, as ``schemes_with_phases``."""
    return current().entries


def forget(**_kwargs) -> None:
    """Drop this process's copy: the next reader loads the schemes afresh."""
    _copy.forget()
