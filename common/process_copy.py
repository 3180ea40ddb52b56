"""A copy of a few database rows kept in each process for the public pages.

The schemes and their phases (``ots_scheme/catalogue.py``) and the
organisation's units (``organization/catalogue.py``) change a few times a
year but are read on the busiest pages. Each is read once and then kept for
a number of seconds taken from a setting:

- a save or delete of one of the copy's models in this process forgets the
  copy at once, and again when its transaction commits: a reader between
  the save and the commit would otherwise load the old rows again;
- other processes (the other gunicorn workers, Celery) see the change
  within the TTL.

The copy is shared between requests: read it, never change it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class ProcessCopy(Generic[T]):
    """``load()``'s result, kept ``settings.<ttl_setting>`` seconds (``default_ttl`` if unset)."""

    def __init__(self, load: Callable[[], T], *, ttl_setting: str, default_ttl: float,
                 models: Iterable[type]):
        self._load, self._ttl_setting, self._default_ttl = load, ttl_setting, default_ttl
        self._lock = threading.Lock()
        self._held: tuple[float, T] | None = None
        for model in models:
            uid = f"process-copy-{ttl_setting}-{model.__name__}"
            post_save.connect(self._changed, sender=model, dispatch_uid=f"{uid}-save",
                              weak=False)
            post_delete.connect(self._changed, sender=model, dispatch_uid=f"{uid}-delete",
                                weak=False)

    def get(self) -> T:
        """Return the copy, loading it when there is none or it is older than the TTL."""
        held, now = self._held, time.monotonic()
        ttl = float(getattr(settings, self._ttl_setting, self._default_ttl))
        if held is not None and now - held[0] < ttl:
            return held[1]
        loaded = self._load()
        with self._lock:
            self._held = (now, loaded)
        return loaded

    def forget(self, **_kwargs) -> None:
        """Drop the copy: the next reader loads it afresh."""
        with self._lock:
            self._held = None

    def _changed(self, **_kwargs) -> None:
        self.forget()
        transaction.on_commit(self.forget)
