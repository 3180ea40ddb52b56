"""The portal's two languages: which one the person reads now.

Hindi first (DESIGN §1): anything but an English request reads Hindi, so a
language Django does not name exactly ("en-gb", "hi-in", none at all) still
gets one of the two. Every "name in the active language", SMS language and
language-keyed cache asks here.
"""

from __future__ import annotations

from django.utils.translation import get_language


def active_language() -> str:
    """Return ``"en"`` or ``"hi"``: the language of the request being served."""
    return "en" if (get_language() or "hi").startswith("en") else "hi"


def in_active_language(hindi: str, english: str) -> str:
    """Return the text in the active language, the other one when it is blank."""
    if active_language() == "en":
        return english or hindi
    return hindi or english
