"""The consumer's journey kept in the session between pages.

What the person typed is kept (so "back" shows it again); an uploaded
document is kept as a temporary file until the registration is made, never
as bytes in the session. After OTP (or on creating a registration) its
number joins ``session["ots_registrations"]`` — the contract with the
payments app, whose receipts and checkout pages trust that list.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common.uploads import upload_drop, upload_keep, upload_open
from ots_scheme.queries import scheme_by_id
from theft_cases.public_reads import case_with_consumer

FLOW = "ots_flow"
REGISTRATIONS = "ots_registrations"
STATUS = "ots_status"
TMP_DIR = "tmp/id-documents"


def flow(session) -> dict:
    return dict(session.get(FLOW) or {})


def save_flow(session, data: dict) -> None:
    session[FLOW] = data


def start_flow(session, *, case_id: int, scheme_id: int) -> dict:
    drop_document(session)
    data = {"case_id": case_id, "scheme_id": scheme_id}
    session[FLOW] = data
    return data


def end_flow(session) -> None:
    drop_document(session)
    session.pop(FLOW, None)


def allow_registration(session, registration_number: str) -> None:
    numbers = list(session.get(REGISTRATIONS) or [])
    if registration_number not in numbers:
        numbers.append(registration_number)
    session[REGISTRATIONS] = numbers[-20:]


def may_see(session, registration_number: str) -> bool:
    return registration_number in (session.get(REGISTRATIONS) or [])


def keep_document(session, upload) -> None:
    """Store a checked upload as a temporary file and remember it in the flow."""
    drop_document(session)
    data = flow(session)
    data["document"] = upload_keep(upload, folder=TMP_DIR)
    save_flow(session, data)


def open_document(session):
    """Return the kept document as a File (with ``checked_extension``), or None."""
    return upload_open(flow(session).get("document"))


def drop_document(session) -> None:
    document = (session.get(FLOW) or {}).get("document")
    if document:
        upload_drop(document)
        data = flow(session)
        data.pop("document", None)
        save_flow(session, data)

def flow_case_required(view):
    """Give ``view(request, data, case, scheme, …)`` the journey kept in the session.

    The one prelude of every step after the lookup: a journey that is
    missing or stale (its case or scheme gone) sends the person back to the
    lookup to find their case again.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        data = flow(request.session)
        case = scheme = None
        if data.get("case_id"):
            case = case_with_consumer(int(data["case_id"]))
            scheme = scheme_by_id(data.get("scheme_id"))
        if case is None or scheme is None:
            messages.info(request, _("Please find your case first."))
            return redirect("consumers:lookup")
        return view(request, data, case, scheme, *args, **kwargs)

    return wrapped
