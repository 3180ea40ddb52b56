"""The registration wizard after OTP: case, details, declaration, confirm (DESIGN §1).

Each step validates; "back" keeps what was typed (``consumers.journey``).
Personal data is shown in full only to a person who proved the mobile on
record (DESIGN §7).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consumers import journey
from consumers.forms import DeclarationForm
from consumers.journey import flow_case_required
from consumers.queries import case_on_record, live_registration, outlook
from consumers.views import lookup_url
from core.dates import today_ist
from ots_scheme.forms import DetailsForm
from ots_scheme.models import IdProofType
from ots_scheme.registrations import RegistrationError, registration_create

STEPS = ["case", "details", "declaration", "confirm"]


def _step_out_of_order(data: dict, step: str):
    """Return a redirect to where the person should be, or None (each step needs the last)."""
    if not data.get("verified"):
        return redirect("consumers:otp_verify")
    if step in ("declaration", "confirm") and not data.get("details"):
        return redirect("consumers:register", step="details")
    if step == "confirm" and not data.get("declaration"):
        return redirect("consumers:register", step="declaration")
    return None


@require_http_methods(["GET", "POST"])
def register(request, step: str):
    """One step of the registration wizard; each validates, back keeps values."""
    if step not in STEPS:
        raise Http404
    return _register_step(request, step=step)


@flow_case_required
def _register_step(request, data, case, scheme, *, step: str):
    response = _step_out_of_order(data, step)
    if response is not None:
        return response
    view = outlook(case, on=today_ist(), scheme=scheme)
    context = {"case": case, "view": view, "step": step, "steps": STEPS,
               "step_number": STEPS.index(step) + 1, "mobile": data.get("mobile", ""),
               "identity_check_required": data.get("identity_check_required", False)}
    if not view.can_register and step != "confirm":
        existing = live_registration(case, scheme)
        if existing and journey.may_see(request.session, existing.registration_number):
            return redirect("consumers:registration", existing.registration_number)
        messages.error(request, view.message)
        return redirect(lookup_url(case))  # the case again, with its office
    if step == "case":
        if request.method == "POST":
            return redirect("consumers:register", step="details")
        return render(request, "consumers/register_case.html", context)
    if step == "details":
        return _details_step(request, data, context)
    if step == "declaration":
        form = DeclarationForm(request.POST or None,
                               initial={"accept": data.get("declaration", False)})
        if request.method == "POST" and form.is_valid():
            data["declaration"] = True
            journey.save_flow(request.session, data)
            return redirect("consumers:register", step="confirm")
        return render(request, "consumers/register_declaration.html", {**context, "form": form})
    return _confirm_step(request, data, case, scheme, view, context)


def _details_step(request, data, context):
    has_document = bool(data.get("document"))
    initial = data.get("details") or {}
    unverified = bool(data.get("identity_check_required"))
    # Only a mobile of the person's own was verified: the record stays masked
    # and nothing of it is filled in for them (DESIGN §7).
    record = case_on_record(context["case"], identity_unverified=unverified)
    if not initial and not unverified:
        initial = {"applicant_name": record.name,
                   "father_or_husband_name": record.father_or_husband_name,
                   "address": record.address, "email": context["case"].consumer.email}
    form = DetailsForm(request.POST or None, request.FILES or None, initial=initial,
                       has_document=has_document)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("id_document")
        if upload:
            journey.keep_document(request.session, upload)
            data = journey.flow(request.session)
        data["details"] = form.session_data()
        journey.save_flow(request.session, data)
        return redirect("consumers:register", step="declaration")
    return render(request, "consumers/register_details.html", {
        **context, "form": form, "document": data.get("document"), "record": record,
    })


def _confirm_step(request, data, case, scheme, view, context):
    if request.method == "POST":
        document = journey.open_document(request.session)
        if document is None:
            messages.error(request, _("Please upload a copy of your ID proof again."))
            return redirect("consumers:register", step="details")
        try:
            with document:
                registration = registration_create(
                    case=case, scheme=scheme, mobile=data["mobile"],
                    declaration_accepted=bool(data.get("declaration")),
                    identity_check_required=bool(data.get("identity_check_required")),
                    id_document=document, **data["details"],
                )
        except RegistrationError as err:
            messages.error(request, err.message)
            return redirect(lookup_url(case))
        journey.end_flow(request.session)
        journey.allow_registration(request.session, registration.registration_number)
        messages.success(request, _("Your registration number is %(number)s. Pay the "
                                    "registration fee within 48 hours.")
                         % {"number": registration.registration_number})
        return redirect("consumers:registration", registration.registration_number)
    details = data.get("details", {})
    return render(request, "consumers/register_confirm.html", {
        **context, "details": details, "quote": view.quote, "scheme": scheme,
        # The choice's label in the person's language, never the stored code.
        "id_proof_label": dict(IdProofType.choices).get(details.get("id_proof_type"), ""),
    })
