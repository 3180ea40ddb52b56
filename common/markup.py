"""Markup written in Python for the busiest public pages, escaped as Django escapes.

The short public forms (``redportal/templatetags/public_forms.py``) and the
calculator's phase figures (``ots_scheme/templatetags/calculator.py``) write
their HTML directly instead of through templates. Every value goes through
:func:`escaped`, which is ``conditional_escape`` without its per-call lazy
checks (a page escapes some 30 to 70 values).
"""

from __future__ import annotations

import html

from django.utils.translation import get_language, gettext


def escaped(value) -> str:
    """``value`` as text safe in HTML: markup already safe (``__html__``) as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attributes(attrs: dict) -> str:
    """``django.forms.utils.flatatt``'s output: sorted ``key="value"`` pairs,
    then the sorted keys whose value is True; False and None leave a key out."""
    pairs = sorted((key, value) for key, value in attrs.items()
                   if value is not None and not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return ("".join(f' {escaped(key)}="{escaped(value)}"' for key, value in pairs)
            + "".join(f" {escaped(key)}" for key in flags))


class Words:
    """Fixed messages, translated and escaped once per language per process.

    ``gettext`` costs a few microseconds a call (it finds the active
    language anew each time); a tag that writes the same labels on every
    request looks them up here instead: ``WORDS()["Balance"]``.
    """

    def __init__(self, *messages: str):
        self.messages = messages
        self._by_language: dict[str | None, dict[str, str]] = {}

    def __call__(self) -> dict[str, str]:
        language = get_language()
        found = self._by_language.get(language)
        if found is None:
            found = {message: escaped(gettext(message)) for message in self.messages}
            self._by_language[language] = found
        return found


def day_text(day) -> str:
    """A date as ``{{ day|date:"d-m-Y" }}`` writes it: 05-01-2024."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


# Parts of pages kept in this process (``{% fragment %}`` and the tags that
# write theirs in Python). A bound, not an eviction policy: keys change with
# a scheme's version and the day, so the old ones are dropped all at once
# now and then.
MAX_KEPT = 2000
_kept: dict[tuple, str] = {}


def kept(key: tuple, draw) -> str:
    """The part kept under ``key`` (its name and what it is drawn from), else ``draw()``'s.

    Every value the part reads must be in the key (the scheme rows' version,
    the language, the day); never anything of the visitor's.
    """
    text = _kept.get(key)
    if text is None:
        text = draw()
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = text
    return text


def forget_kept() -> None:
    """Drop every part this process keeps."""
    _kept.clear()
