"""The consumer's journey (DESIGN §1): find the case; the shared per-IP rates; finish.

Public pages, Hindi first, on a phone. Personal data is masked (DESIGN §7);
every send or check of an OTP is throttled per IP (django-ratelimit, cache
backed) on top of the durable per-mobile limit in ``messaging.otp``. The
steps after the lookup live beside this module: ``otp_views`` (the OTP),
``wizard_views`` (the registration wizard), ``status_views`` (a person's
registration, paying, status by OTP), ``recovery_views`` (offices, a lost
registration number, a changed mobile).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.throttling import throttle
from consumers import journey
from consumers.forms import LookupForm
from consumers.queries import find_cases, outlook
from core.dates import today_ist
from theft_cases.models import TheftCase

logger = logging.getLogger(__name__)


def _rate(name: str, default: str):
    """Read a per-IP rate from settings at request time (tests may tighten it)."""
    return lambda group, request: getattr(settings, name, default)


LOOKUP_RATE = _rate("OTS_LOOKUP_RATE_PER_IP", "60/m")
OTP_SEND_RATE = _rate("OTS_OTP_SEND_RATE_PER_IP", "20/h")
OTP_CHECK_RATE = _rate("OTS_OTP_CHECK_RATE_PER_IP", "30/h")


def lookup_url(case: TheftCase) -> str:
    """The lookup showing ``case``: what it may do next and its office."""
    return f"{reverse('consumers:lookup')}?{urlencode({'case_number': case.case_number})}"


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


# --- Finish: a shared computer is left clean (DESIGN §7) -------------------------


@require_POST
def finish(request):
    """End this browser's journey now: nothing of it stays for the next person."""
    journey.end_flow(request.session)
    request.session.flush()
    messages.success(request, _("You have finished. Nothing of yours is kept on this "
                                "computer; you may leave it now."))
    return redirect("home")
