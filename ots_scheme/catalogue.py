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
import threading
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ots_scheme.models import Phase, Scheme
from ots_scheme.services import rules_for
from ots_scheme.settlement import SchemeRules

_lock = threading.Lock()
_snapshot: tuple[float, Snapshot] | None = None


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


def _ttl() -> float:
    return float(getattr(settings, "SCHEME_CATALOGUE_SECONDS", 30))


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


def current() -> Snapshot:
    """Return this process's copy: the entries and their version, read together."""
    global _snapshot
    held, now = _snapshot, time.monotonic()
    if held is not None and now - held[0] < _ttl():
        return held[1]
    entries = _load()
    snapshot = Snapshot(entries=entries, version=_digest(entries))
    with _lock:
        _snapshot = (now, snapshot)
    return snapshot


def active() -> tuple[CatalogueEntry, ...]:
    """Return the active schemes, real ones and the demo, as ``schemes_with_phases``."""
    return current().entries


def forget(**_kwargs) -> None:
    """Drop this process's copy: the next reader loads the schemes afresh."""
    global _snapshot
    with _lock:
        _snapshot = None


def _changed(**_kwargs) -> None:
    forget()
    # A reader between the save and the commit would load the old rows again.
    transaction.on_commit(forget)


for _model in (Scheme, Phase):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"catalogue-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model,
                        dispatch_uid=f"catalogue-delete-{_model.__name__}")
