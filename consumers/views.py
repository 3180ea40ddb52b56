"""The consumer's journey (DESIGN §1): find the case, OTP, register, pay, status.

Public pages, Hindi first, on a phone. Personal data is masked (DESIGN §7);
every send or check of an OTP is throttled per IP (django-ratelimit, cache
backed) on top of the durable per-mobile limit in ``messaging.otp``.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clientip import client_ip
from common.throttling import ratelimited, throttle  # noqa: F401 - RATELIMIT_VIEW
from consumers import journey
from consumers.forms import (
    DeclarationForm,
    LookupForm,
    MobileForm,
    StatusForm,
)
from consumers.masking import mask_digits
from consumers.queries import case_on_record, find_cases, live_registration, outlook
from core.dates import today_ist
from messaging import otp
from messaging.forms import OtpForm
from messaging.models import OtpPurpose
from ots_scheme.forms import DetailsForm
from ots_scheme.models import IdProofType, Registration, RegistrationStatus, Scheme
from ots_scheme.registrations import RegistrationError, registration_create
from payments.models import PaymentStatus
from theft_cases.models import TheftCase

logger = logging.getLogger(__name__)


def _rate(name: str, default: str):
    """Read a per-IP rate from settings at request time (tests may tighten it)."""
    return lambda group, request: getattr(settings, name, default)


LOOKUP_RATE = _rate("OTS_LOOKUP_RATE_PER_IP", "60/m")
OTP_SEND_RATE = _rate("OTS_OTP_SEND_RATE_PER_IP", "20/h")
OTP_CHECK_RATE = _rate("OTS_OTP_CHECK_RATE_PER_IP", "30/h")


def _lookup_url(case: TheftCase) -> str:
    """The lookup showing ``case``: what it may do next and its office."""
    return f"{reverse('consumers:lookup')}?{urlencode({'case_number': case.case_number})}"


def _language() -> str:
    return "en" if (get_language() or "hi").startswith("en") else "hi"


# --- Find your case -----------------------------------------------------------


@require_http_methods(["GET"])
@throttle(rate=LOOKUP_RATE, method="GET")
def lookup(request):
    """Find a case by case number or account number; show it masked."""
    form = LookupForm(request.GET or None)
    results, searched = [], False
    if request.GET and form.is_valid():
        searched = True
        today = today_ist()
        results = [outlook(case, on=today) for case in find_cases(**form.cleaned_data)]
    return render(request, "consumers/lookup.html",
                  {"form": form, "results": results, "searched": searched})


# --- OTP ------------------------------------------------------------------------


def _flow_case(request) -> tuple[dict, TheftCase, Scheme]:
    data = journey.flow(request.session)
    if not data.get("case_id"):
        raise _Restart
    case = TheftCase.objects.select_related("consumer").filter(pk=data["case_id"]).first()
    scheme = Scheme.objects.prefetch_related("phases").filter(pk=data["scheme_id"]).first()
    if case is None or scheme is None:
        raise _Restart
    return data, case, scheme


class _Restart(Exception):
    """The journey in the session is missing or stale: start at the lookup."""


def _restart(request):
    messages.info(request, _("Please find your case first."))
    return redirect("consumers:lookup")


def _send(request, *, mobile: str, case: TheftCase, data: dict) -> bool:
    try:
        sent = otp.otp_send(mobile=mobile, purpose=OtpPurpose.REGISTER,
                            subject=case.case_number, language=_language(),
                            client_ip=client_ip(request))
    except otp.OtpError as err:
        messages.error(request, err.message)
        return False
    data.update(challenge_id=sent.challenge_id, mobile=mobile, verified=False)
    journey.save_flow(request.session, data)
    messages.success(request, _("An OTP has been sent to your mobile ending %(last4)s.")
                     % {"last4": mobile[-4:]})
    return True


@require_POST
@throttle(rate=OTP_SEND_RATE, method="POST")
def otp_start(request):
    """Begin registering a case found by the lookup: send the OTP."""
    case = get_object_or_404(TheftCase.objects.select_related("consumer"),
                             case_number=request.POST.get("case_number", ""))
    view = outlook(case, on=today_ist())
    if not view.can_register:
        messages.error(request, view.message)
        return redirect(_lookup_url(case))
    data = journey.start_flow(request.session, case_id=case.pk, scheme_id=view.scheme.pk)
    mobile = case.consumer.mobile
    if not mobile:
        return redirect("consumers:otp_mobile")
    data["identity_check_required"] = False
    _send(request, mobile=mobile, case=case, data=data)
    return redirect("consumers:otp_verify")


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_SEND_RATE, method="POST")
def otp_mobile(request):
    """No mobile on record: the person gives one; identity is checked by staff."""
    try:
        data, case, _scheme = _flow_case(request)
    except _Restart:
        return _restart(request)
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data["identity_check_required"] = True
        if _send(request, mobile=form.cleaned_data["mobile"], case=case, data=data):
            return redirect("consumers:otp_verify")
    return render(request, "consumers/otp_mobile.html", {"form": form, "case": case})


@require_POST
@throttle(rate=OTP_SEND_RATE, method="POST")
def otp_resend(request):
    try:
        data, case, _scheme = _flow_case(request)
    except _Restart:
        return _restart(request)
    if not data.get("mobile"):
        return redirect("consumers:otp_mobile")
    _send(request, mobile=data["mobile"], case=case, data=data)
    return redirect("consumers:otp_verify")


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_CHECK_RATE, method="POST")
def otp_verify(request):
    """Check the OTP; on success go on to the registration wizard."""
    try:
        data, case, _scheme = _flow_case(request)
    except _Restart:
        return _restart(request)
    if not data.get("challenge_id"):
        return redirect("consumers:otp_mobile")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.verified(
            challenge_id=data["challenge_id"], purpose=OtpPurpose.REGISTER,
            subject=case.case_number):
        data["verified"] = True
        journey.save_flow(request.session, data)
        request.session.cycle_key()
        return redirect("consumers:register", step="case")
    return render(request, "consumers/otp_verify.html", {
        "form": form, "case": case, "mobile": mask_digits(data.get("mobile", "")),
        "sms_problem": otp.delivery_problem(data.get("challenge_id")),
        "identity_check_required": data.get("identity_check_required", False),
    })


# --- Registration wizard ------------------------------------------------------

STEPS = ["case", "details", "declaration", "confirm"]


def _wizard_guard(request, step: str):
    """Return (data, case, scheme) or a redirect to where the person should be."""
    try:
        data, case, scheme = _flow_case(request)
    except _Restart:
        return None, _restart(request)
    if not data.get("verified"):
        return None, redirect("consumers:otp_verify")
    # Each step needs the ones before it.
    if step in ("declaration", "confirm") and not data.get("details"):
        return None, redirect("consumers:register", step="details")
    if step == "confirm" and not data.get("declaration"):
        return None, redirect("consumers:register", step="declaration")
    return (data, case, scheme), None


@require_http_methods(["GET", "POST"])
def register(request, step: str):
    """One step of the registration wizard; each validates, back keeps values."""
    if step not in STEPS:
        raise Http404
    state, response = _wizard_guard(request, step)
    if response is not None:
        return response
    data, case, scheme = state
    view = outlook(case, on=today_ist(), scheme=scheme)
    context = {"case": case, "view": view, "step": step, "steps": STEPS,
               "step_number": STEPS.index(step) + 1, "mobile": data.get("mobile", ""),
               "identity_check_required": data.get("identity_check_required", False)}
    if not view.can_register and step != "confirm":
        existing = live_registration(case, scheme)
        if existing and journey.may_see(request.session, existing.registration_number):
            return redirect("consumers:registration", existing.registration_number)
        messages.error(request, view.message)
        return redirect(_lookup_url(case))  # the case again, with its office
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
            return redirect(_lookup_url(case))
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


# --- A registration, its payments and documents --------------------------------


def _payments_url(name: str, *args) -> str:
    try:
        return reverse(f"payments:{name}", args=args)
    except Exception:  # noqa: BLE001 - the payments app may not offer it yet
        return ""


@require_http_methods(["GET"])
def registration(request, registration_number: str):
    """The person's own registration: state, amounts, what to pay, documents."""
    if not journey.may_see(request.session, registration_number):
        messages.info(request, _("To see a registration, enter its number and the OTP "
                                 "sent to its mobile."))
        return redirect(f"{reverse('consumers:status')}?registration_number="
                        f"{registration_number}")
    reg = get_object_or_404(
        Registration.objects.select_related("case", "case__consumer", "scheme",
                                            "sub_division__parent"),
        registration_number=registration_number,
    )
    payments = list(reg.payments.filter(status=PaymentStatus.SUCCESS).order_by("paid_at"))
    # What was credited, and what is still due, come from the registration
    # (DESIGN §4.2a: balance due = frozen total − money credited).
    paid = reg.credited
    due = None
    if reg.held_reason:
        pass  # the money is with staff: nothing is asked for until they decide
    elif reg.status == RegistrationStatus.SUBMITTED:
        due = ("registration_fee", reg.registration_fee)
    elif reg.status in Registration.BALANCE_DUE_STATUSES and reg.balance_due:
        due = ("balance", reg.balance_due)
    fee_paid = reg.is_fee_paid
    return render(request, "consumers/registration.html", {
        "reg": reg, "payments": payments, "paid": paid, "due": due,
        "record": case_on_record(reg.case, identity_unverified=reg.identity_unverified),
        "fee_paid": fee_paid, "held": bool(reg.held_reason),
        "settled": reg.status == RegistrationStatus.SETTLED,
        "mobile": mask_digits(reg.mobile),
        "acknowledgement_url": _payments_url("acknowledgement", registration_number),
        "certificate_url": _payments_url("certificate", registration_number),
        "report_missing_url": _payments_url("report_missing"),
    })


@require_POST
def pay(request, registration_number: str, purpose: str):
    """Start an online payment of the fee or the balance and go to the checkout."""
    if purpose not in ("registration_fee", "balance"):
        raise Http404
    if not journey.may_see(request.session, registration_number):
        return redirect("consumers:status")
    reg = get_object_or_404(Registration, registration_number=registration_number)
    from payments.services import PaymentError, payment_start

    try:
        payment = payment_start(registration=reg, purpose=purpose)
    except PaymentError as err:
        messages.error(request, str(err))
        return redirect("consumers:registration", registration_number)
    return redirect("payments:checkout", payment.order_id)


# --- Status by registration number + OTP ---------------------------------------


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_SEND_RATE, method="POST")
def status(request):
    """Ask for the registration number and send an OTP to its mobile."""
    form = StatusForm(request.POST or None,
                      initial={"registration_number": request.GET.get("registration_number")
                               or request.GET.get("registration")})
    not_found = False
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["registration_number"]
        reg = Registration.objects.filter(registration_number=number).first()
        # The number alone (sequential, printed on every acknowledgement) never
        # sends an SMS: the person also gives the mobile they registered with,
        # and a wrong pair is answered exactly like an unknown number.
        if reg is None or not reg.mobile or reg.mobile != form.cleaned_data["mobile"]:
            not_found = True
            form.add_error("registration_number", _(
                "No registration has this number with this mobile. Check the SMS you "
                "received, or find your registration by your case number."))
        else:
            try:
                sent = otp.otp_send(mobile=reg.mobile, purpose=OtpPurpose.STATUS,
                                    subject=number, language=_language(),
                                    client_ip=client_ip(request))
            except otp.OtpError as err:
                form.add_error(None, err.message)
            else:
                request.session[journey.STATUS] = {"number": number,
                                                   "challenge_id": sent.challenge_id}
                messages.success(request, _("An OTP has been sent to your mobile ending "
                                            "%(last4)s.") % {"last4": reg.mobile[-4:]})
                return redirect("consumers:status_verify")
    return render(request, "consumers/status.html", {
        "form": form, "report_missing_url": _payments_url("report_missing"),
        "not_found": not_found,
    })


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_CHECK_RATE, method="POST")
def status_verify(request):
    pending = request.session.get(journey.STATUS) or {}
    if not pending.get("challenge_id"):
        return redirect("consumers:status")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.verified(
            challenge_id=pending["challenge_id"], purpose=OtpPurpose.STATUS,
            subject=pending["number"]):
        request.session.pop(journey.STATUS, None)
        request.session.cycle_key()
        journey.allow_registration(request.session, pending["number"])
        return redirect("consumers:registration", pending["number"])
    return render(request, "consumers/otp_verify.html", {
        "form": form, "status_check": True, "number": pending["number"],
        "sms_problem": otp.delivery_problem(pending.get("challenge_id")),
    })


# --- Finish: a shared computer is left clean (DESIGN §7) -------------------------


@require_POST
def finish(request):
    """End this browser's journey now: nothing of it stays for the next person."""
    journey.end_flow(request.session)
    request.session.flush()
    messages.success(request, _("You have finished. Nothing of yours is kept on this "
                                "computer; you may leave it now."))
    return redirect("home")
