"""PDF documents with correctly shaped Devanagari (fpdf2 + HarfBuzz).

Engines without HarfBuzz break conjuncts and matras (LIBRARIES.md), so every
PDF of the portal starts from :func:`new_pdf`, which registers Noto Sans
Devanagari (installed from the npm registry) and turns text shaping on.
"""

from __future__ import annotations

import logging

from django.conf import settings
from fpdf import FPDF

FONT = "NotoDeva"
# fontTools narrates every font subset at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def font_file(weight: str = "400Regular") -> str:
    return str(settings.PDF_FONT_DIR / weight / f"NotoSansDevanagari_{weight}.ttf")


def new_pdf(*, title: str = "", orientation: str = "P") -> FPDF:
    """Return an A4 FPDF with the Devanagari font (regular ``""``, bold ``"B"``)."""
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("MVVNL RED portal")
    pdf.set_creator("RED portal")
    pdf.add_font(FONT, "", font_file("400Regular"))
    pdf.add_font(FONT, "B", font_file("700Bold"))
    pdf.set_text_shaping(True)
    pdf.set_font(FONT, size=11)
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
