"""A person's own registration: its page, paying, and finding it again by OTP (DESIGN §1).

A registration is shown only to a browser that proved it (OTP to its mobile
or made it here: ``consumers.journey.may_see``); sending or checking the
status OTP is throttled per IP.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clientip import client_ip
from common.language import active_language
from common.throttling import throttle
from consumers import journey
from consumers.forms import StatusForm
from consumers.masking import mask_digits
from consumers.queries import case_on_record
from consumers.views import OTP_CHECK_RATE, OTP_SEND_RATE
from messaging import otp
from messaging.forms import OtpForm
from messaging.models import OtpPurpose
from ots_scheme.models import Registration, RegistrationStatus
from payments.models import PaymentStatus
from payments.services import PaymentError, payment_start

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
    # Money held for staff asks for nothing until they decide.
    due = None
    if not reg.held_reason and reg.status == RegistrationStatus.SUBMITTED:
        due = ("registration_fee", reg.registration_fee)
    elif (not reg.held_reason and reg.status in Registration.BALANCE_DUE_STATUSES
          and reg.balance_due):
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
                                    subject=number, language=active_language(),
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
