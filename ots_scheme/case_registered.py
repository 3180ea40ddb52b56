"""Who else must act when a case is registered (DESIGN §2, §4.4).

Registering closes the case's open action items. Those are the
``defaulters`` app's, and ``defaulters`` sits above ``ots_scheme``, so nothing
here imports it: it registers its handler at start-up
(``DefaultersConfig.ready``), and the registration lifecycle calls
:func:`notify` inside the transaction that registers the case, before the
case's own status moves on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_HANDLERS: dict[str, Callable[..., object]] = {}


def register(name: str, handler: Callable[..., object]) -> None:
    """Register ``handler(case=)``; called once per app at start-up."""
    _HANDLERS[name] = handler


def notify(case) -> None:
    """Tell every registered app that ``case`` (locked by the caller) registered."""
    if not _HANDLERS:
        raise ImproperlyConfigured(
            "no app closes a registered case's action items (is 'defaulters' installed?)")
    for handler in _HANDLERS.values():
        handler(case=case)
