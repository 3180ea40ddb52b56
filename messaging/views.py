"""Delivery reports from the SMS provider (DESIGN §3: ``/messaging/dlr/<provider>/``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging import msg91
from messaging.sms import dlr_apply

logger = logging.getLogger(__name__)

PARSERS = {"msg91": msg91.parse_reports}


def _authentic(request) -> bool:
    """The provider's shared token, in the URL or a header, compared in constant time."""
    expected = settings.SMS_PROVIDER_DLR_TOKEN
    given = request.GET.get("token") or request.headers.get("X-Dlr-Token") or ""
    return bool(expected) and constant_time_compare(given, expected)


@csrf_exempt  # a machine callback, authenticated by its token instead
@require_POST
def dlr(request, provider: str):
    parse = PARSERS.get(provider)
    if parse is None:
        raise Http404
    if not _authentic(request):
        logger.warning("DLR for %s refused: bad token", provider)
        return HttpResponseForbidden("bad token")
    try:
        reports = parse(content_type=request.content_type or "", body=request.body,
                        form=request.POST)
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("not a delivery report")
    applied = sum(dlr_apply(provider=provider, reference=ref, delivered=ok, reason=why)
                  for ref, ok, why in reports)
    return HttpResponse(f"ok {applied}/{len(reports)}", content_type="text/plain")
