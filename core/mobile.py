"""One reading of an Indian mobile number, for every form, import and search.

Pure (no Django): a mobile is 10 digits starting 6–9 (TRAI numbering plan).
People type it as they say it or as their phone shows it — ``+91 98765
43210``, ``098765-43210``, ``91 9876543210`` — and Hindi phone keyboards
type Devanagari digits (``९८७६५४३२१०``). The country prefix (``+91``,
``0091``, ``91`` before 10 digits) and the trunk ``0`` are dropped; spaces,
dashes, dots and brackets are separators.
"""

from __future__ import annotations

import re

# Spaces of every kind (a pasted number may carry a no-break space), ASCII and
# Unicode dashes, dots and brackets.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.()]")
_DEVANAGARI = str.maketrans("०१२३४५६७८९", "0123456789")
_MOBILE = re.compile(r"[6-9][0-9]{9}")
# Far longer than any way of writing one number: refuse before any work.
_MAX_INPUT = 40


def normalise_mobile(value: object) -> str:
    """Return the 10-digit mobile in ``value``, or "" when it is not one.

    ``value`` may be text or a spreadsheet number (``9876543210`` or
    ``9876543210.0``); ``None`` and blanks give "".
    """
    if type(value) is str and len(value) == 10 and value.isascii() and value.isdigit():
        # Already written as the 10 digits (most of an import's cells).
        return value if value[0] in "6789" else ""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if not value.is_integer():
            return ""
        value = int(value)
    text = str(value)
    if len(text) > _MAX_INPUT:
        return ""
    text = _SEPARATORS.sub("", text.translate(_DEVANAGARI))
    if text.startswith("+91"):
        text = text[3:]
    elif text.startswith("0091") and len(text) == 14:
        text = text[4:]
    elif text.startswith("91") and len(text) == 12:
        text = text[2:]
    elif text.startswith("0") and len(text) == 11:
        text = text[1:]
    return text if _MOBILE.fullmatch(text) else ""
