"""The OTP that proves a person holds the case's mobile, before the wizard (DESIGN §1, §7).

Every send or check of an OTP is throttled per IP (django-ratelimit, cache
backed) on top of the durable per-mobile limit in ``messaging.otp``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clientip import client_ip
from common.language import active_language
from common.throttling import throttle
from consumers import journey
from consumers.forms import MobileForm
from consumers.journey import flow_case_required
from consumers.masking import mask_digits
from consumers.queries import find_cases, outlook
from consumers.views import OTP_CHECK_RATE, OTP_SEND_RATE, lookup_url
from core.dates import today_ist
from messaging import otp
from messaging.forms import OtpForm
from messaging.models import OtpPurpose
from theft_cases.models import TheftCase


def _send(request, *, mobile: str, case: TheftCase, data: dict) -> bool:
    try:
        sent = otp.otp_send(mobile=mobile, purpose=OtpPurpose.REGISTER,
                            subject=case.case_number, language=active_language(),
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
    found = find_cases(case_number=request.POST.get("case_number", ""))
    if not found:
        raise Http404
    case = found[0]
    view = outlook(case, on=today_ist())
    if not view.can_register:
        messages.error(request, view.message)
        return redirect(lookup_url(case))
    data = journey.start_flow(request.session, case_id=case.pk, scheme_id=view.scheme.pk)
    mobile = case.consumer.mobile
    if not mobile:
        return redirect("consumers:otp_mobile")
    data["identity_check_required"] = False
    _send(request, mobile=mobile, case=case, data=data)
    return redirect("consumers:otp_verify")


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_SEND_RATE, method="POST")
@flow_case_required
def otp_mobile(request, data, case, _scheme):
    """No mobile on record: the person gives one; identity is checked by staff."""
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data["identity_check_required"] = True
        if _send(request, mobile=form.cleaned_data["mobile"], case=case, data=data):
            return redirect("consumers:otp_verify")
    return render(request, "consumers/otp_mobile.html", {"form": form, "case": case})


@require_POST
@throttle(rate=OTP_SEND_RATE, method="POST")
@flow_case_required
def otp_resend(request, data, case, _scheme):
    if not data.get("mobile"):
        return redirect("consumers:otp_mobile")
    _send(request, mobile=data["mobile"], case=case, data=data)
    return redirect("consumers:otp_verify")


@require_http_methods(["GET", "POST"])
@throttle(rate=OTP_CHECK_RATE, method="POST")
@flow_case_required
def otp_verify(request, data, case, _scheme):
    """Check the OTP; on success go on to the registration wizard."""
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
