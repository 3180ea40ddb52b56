"""Ways on when the usual path is closed (issue 16): the office finder, a
registration found by case number + OTP (the SMS with its number is lost),
and a change of the mobile on record (that mobile is no longer the person's).

Nothing here unmasks a case: a change of mobile shows the case masked until
an officer approves it (DESIGN §7).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.throttling import throttle
from consumers import journey
from consumers.forms import CaseNumberForm, MobileChangeForm, MobileChangeProofForm
from consumers.masking import mask_digits
from consumers.mobile_change import MobileChangeError, mobile_change_request, pending_request
from consumers.models import MobileChangeRequest
from consumers.queries import find_cases
from consumers.views import LOOKUP_RATE, OTP_CHECK_RATE, OTP_SEND_RATE, _language
from messaging import otp
from messaging.forms import OtpForm
from messaging.models import OtpPurpose
from organization.queries import office_of, offices
from ots_scheme.models import Registration
from theft_cases.models import TheftCase

RECOVER = "ots_recover"
MOBILE_CHANGE = "ots_mobile_change"
MOBILE_CHANGE_DONE = "ots_mobile_change_done"


@require_http_methods(["GET"])
@throttle(rate=LOOKUP_RATE, method="GET")
def office_list(request):
    """Every division and sub-division office with address, phone and hours."""
    return render(request, "consumers/offices.html", {"divisions": offices()})


def _case(number: str) -> TheftCase | None:
    found = find_cases(case_number=number)
    return found[0] if found else None


def _session_case(request, key: str) -> tuple[dict, TheftCase | None]:
    state = dict(request.session.get(key) or {})
    case = None
    if state.get("case_id"):
        case = (TheftCase.objects.select_related("consumer", "sub_division")
                .filter(pk=state["case_id"]).first())
    return state, case


# --- Find a registration by case number + OTP ----------------------------------


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_SEND_RATE, method="POST")
def recover(request):
    """Ask for the case number; send an OTP to the mobile of its registration."""
    form = CaseNumberForm(request.POST or None,
                          initial={"case_number": request.GET.get("case_number", "")})
    office, not_found = None, False
    if request.method == "POST" and form.is_valid():
        case = _case(form.cleaned_data["case_number"])
        registration = (Registration.objects.filter(case=case).order_by("-created_at", "-pk")
                        .first() if case else None)
        if case is None:
            not_found = True
            form.add_error("case_number", _("No case has this number. Check the number on "
                                            "your notice."))
        elif registration is None:
            office = office_of(case.sub_division)
            form.add_error(None, _("This case has no registration yet. Find your case to "
                                   "register."))
        elif not registration.mobile:
            office = office_of(case.sub_division)
            form.add_error(None, _("No mobile was given for this registration: your office "
                                   "can tell you its number."))
        else:
            try:
                sent = otp.otp_send(mobile=registration.mobile, purpose=OtpPurpose.RECOVER,
                                    subject=case.case_number, language=_language())
            except otp.OtpError as err:
                form.add_error(None, err.message)
            else:
                request.session[RECOVER] = {"case_id": case.pk,
                                            "challenge_id": sent.challenge_id,
                                            "mobile": registration.mobile}
                messages.success(request, _("An OTP has been sent to your mobile ending "
                                            "%(last4)s.") % {"last4": registration.mobile[-4:]})
                return redirect("consumers:recover_verify")
            office = office_of(case.sub_division)
    return render(request, "consumers/recover.html",
                  {"form": form, "office": office, "not_found": not_found})


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_CHECK_RATE, method="POST")
def recover_verify(request):
    """Check the OTP; open every registration of the case made with that mobile."""
    state, case = _session_case(request, RECOVER)
    if case is None or not state.get("challenge_id"):
        return redirect("consumers:recover")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.verified(
            challenge_id=state["challenge_id"], purpose=OtpPurpose.RECOVER,
            subject=case.case_number):
        request.session.pop(RECOVER, None)
        request.session.cycle_key()
        numbers = list(Registration.objects.filter(case=case, mobile=state["mobile"])
                       .order_by("created_at", "pk")
                       .values_list("registration_number", flat=True))
        for number in numbers:
            journey.allow_registration(request.session, number)
        return redirect("consumers:registration", numbers[-1])
    return render(request, "consumers/recover_verify.html", {
        "form": form, "case": case, "mobile": mask_digits(state.get("mobile", "")),
        "office": office_of(case.sub_division),
    })


# --- Change of the mobile on record ---------------------------------------------


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_SEND_RATE, method="POST")
def mobile_change(request):
    """Ask for the case number and the new mobile; send an OTP to the new mobile."""
    form = MobileChangeForm(request.POST or None,
                            initial={"case_number": request.GET.get("case_number", "")})
    office = None
    if request.method == "POST" and form.is_valid():
        case = _case(form.cleaned_data["case_number"])
        mobile = form.cleaned_data["new_mobile"]
        if case is None:
            form.add_error("case_number", _("No case has this number. Check the number on "
                                            "your notice."))
        else:
            office = office_of(case.sub_division)
            if pending_request(case) is not None:
                form.add_error(None, _("A change of mobile for this case is already waiting "
                                       "for the office's decision. You will get an SMS when "
                                       "it is decided."))
            elif mobile == case.consumer.mobile:
                form.add_error("new_mobile", _("This mobile is already the one on record for "
                                               "the case."))
            else:
                try:
                    sent = otp.otp_send(mobile=mobile, purpose=OtpPurpose.MOBILE_CHANGE,
                                        subject=case.case_number, language=_language())
                except otp.OtpError as err:
                    form.add_error(None, err.message)
                else:
                    request.session[MOBILE_CHANGE] = {
                        "case_id": case.pk, "mobile": mobile,
                        "challenge_id": sent.challenge_id, "verified": False}
                    messages.success(request, _("An OTP has been sent to your mobile ending "
                                                "%(last4)s.") % {"last4": mobile[-4:]})
                    return redirect("consumers:mobile_change_verify")
    return render(request, "consumers/mobile_change.html", {
        "form": form, "office": office, "case_unknown": office is None})


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_CHECK_RATE, method="POST")
def mobile_change_verify(request):
    state, case = _session_case(request, MOBILE_CHANGE)
    if case is None or not state.get("challenge_id"):
        return redirect("consumers:mobile_change")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.verified(
            challenge_id=state["challenge_id"], purpose=OtpPurpose.MOBILE_CHANGE,
            subject=case.case_number):
        state["verified"] = True
        request.session[MOBILE_CHANGE] = state
        request.session.cycle_key()
        return redirect("consumers:mobile_change_proof")
    return render(request, "consumers/mobile_change_verify.html", {
        "form": form, "case": case, "mobile": mask_digits(state["mobile"])})


@require_http_methods(["GET", "POST"])
def mobile_change_proof(request):
    """Upload the ID proof; the request then goes to the case's office."""
    state, case = _session_case(request, MOBILE_CHANGE)
    if case is None:
        return redirect("consumers:mobile_change")
    if not state.get("verified"):
        return redirect("consumers:mobile_change_verify")
    form = MobileChangeProofForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = mobile_change_request(
                case=case, new_mobile=state["mobile"], language=_language(),
                id_proof_type=form.cleaned_data["id_proof_type"],
                id_proof_last4=form.cleaned_data["id_proof_last4"],
                document=form.cleaned_data["document"])
        except MobileChangeError as err:
            form.add_error(None, err.message)
        else:
            request.session.pop(MOBILE_CHANGE, None)
            request.session[MOBILE_CHANGE_DONE] = change.pk
            return redirect("consumers:mobile_change_done")
    return render(request, "consumers/mobile_change_proof.html", {
        "form": form, "case": case, "mobile": mask_digits(state["mobile"])})


@require_http_methods(["GET"])
def mobile_change_done(request):
    change = (MobileChangeRequest.objects.select_related("case")
              .filter(pk=request.session.get(MOBILE_CHANGE_DONE)).first())
    if change is None:
        return redirect(reverse("consumers:mobile_change"))
    return render(request, "consumers/mobile_change_done.html", {
        "change": change, "mobile": mask_digits(change.new_mobile),
        "office": office_of(change.case.sub_division)})
