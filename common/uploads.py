"""Checks on uploaded documents: type by content, never by name; size bound.

DESIGN §7 and issue 5: an ID document is PDF, JPEG or PNG up to
``settings.ID_DOCUMENT_MAX_BYTES``; a renamed executable is refused.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def sniff(head: bytes) -> str:
    """Return "pdf", "jpg" or "png" from the first bytes, or "" for anything else."""
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            return extension
    return ""


def check_document(upload, *, max_bytes: int | None = None) -> str:
    """Validate an uploaded document and return its true extension.

    Sets ``upload.checked_extension`` so the stored name comes from the
    content. Raises ``ValidationError`` with a message for the person.
    """
    limit = max_bytes or settings.ID_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). Upload a file up to %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = sniff(head)
    if not extension:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file. This file is not one of them, whatever "
              "its name says."),
            code="bad_type",
        )
    upload.checked_extension = extension
    return extension


# --- A checked upload kept across requests (a wizard's later step) -------------
# Stored under a random name in a temporary folder; the session keeps only the
# small dict these return, never the bytes.

def upload_keep(upload, *, folder: str) -> dict:
    """Store a checked upload (it has ``checked_extension``); return what to remember."""
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{upload.checked_extension}",
                                upload)
    return {"path": path, "ext": upload.checked_extension, "size": upload.size}


def upload_open(kept: dict | None):
    """Return the kept upload as a File (with ``checked_extension``), or None."""
    if not kept or not default_storage.exists(kept["path"]):
        return None
    handle = default_storage.open(kept["path"], "rb")
    handle.checked_extension = kept["ext"]
    return handle


def upload_drop(kept: dict | None) -> None:
    """Delete a kept upload's file, if there is one."""
    if kept:
        default_storage.delete(kept["path"])
