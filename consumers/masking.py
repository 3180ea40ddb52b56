"""Masking of personal data on public pages (DESIGN §7).

Pure helpers: name initials, last 4 digits of a mobile or account number.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Return the initials of a name: "राम कुमार" → "र. क.", "Ram Kumar" → "R. K."."""
    words = [w for w in (name or "").split() if w]
    return " ".join(f"{w[0].upper()}." for w in words)


def mask_digits(value: str, *, keep: int = 4) -> str:
    """Return only the last ``keep`` characters: "9876543210" → "••••••3210"."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= keep:
        return "•" * len(text)
    return "•" * (len(text) - keep) + text[-keep:]
