"""Markup written in Python for the busiest public pages, escaped as Django escapes.

The short public forms (``redportal/templatetags/public_forms.py``) and the
calculator's phase figures (``ots_scheme/templatetags/calculator.py``) write
their HTML directly instead of through templates. Every value goes through
:func:`escaped`, which is ``conditional_escape`` without its per-call lazy
checks (a page escapes some 30 to 70 values).
"""

from __future__ import annotations

import html


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
