"""Reading the portal's PDFs in tests: their text (pypdf) and their QR code (zxing-cpp)."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def pdf_text_and_qr(content: bytes) -> tuple[str, str]:
    """Return the text of every page and the one QR code's text, decoded from its image."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1, f"{len(images)} images"
    picture = Image.open(io.BytesIO(images[0].data)).convert("L")
    codes = zxingcpp.read_barcodes(picture)
    assert len(codes) == 1 and codes[0].format == zxingcpp.BarcodeFormat.QRCode
    return text, codes[0].text
