"""The public check of a settlement certificate or acknowledgement (its QR code).

Anyone holding the paper — a police station, a tehsil, a court clerk — opens
``/verify/<code>/`` without logging in and sees whether the document is
genuine, with only the facts needed to match it against the paper (DESIGN §7:
the name is masked). A code that is not genuine answers 404 with the same page.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from payments.receipts import CERTIFICATE, document_verify


@require_GET
def verify(request, code: str):
    document = document_verify(code=code)
    response = render(request, "consumers/verify.html", {
        "document": document,
        "is_certificate": document is not None and document.kind == CERTIFICATE,
    }, status=200 if document else 404)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
