"""MSG91, the real SMS provider (DLT-compliant, India).

Documentation followed (docs.msg91.com and msg91.com/help):

- "Send SMS" (``POST {SMS_PROVIDER_API_BASE}/api/v2/sendsms``): header
  ``authkey``; JSON body ``sender`` (the DLT header), ``route`` ``"4"``
  (transactional), ``country`` ``"91"``, ``unicode`` ``1`` for Hindi,
  ``DLT_TE_ID`` (the DLT template id) and ``sms: [{"message", "to"}]`` with
  the exact approved text. The answer is ``{"type": "success", "message":
  "<request id>"}`` or ``{"type": "error", "message": "<reason>"}``.
- "How to use Webhook to get the delivery report on the desired URL":
  version 2 posts form data ``data`` = a JSON list of ``{"requestId",
  "report": [{"number", "status", "desc"}]}``; version 3 posts one JSON
  object ``{"requestId", "number", "status", "desc"}``. Status ``1`` is
  delivered; ``2`` failed, ``9`` NDNC, ``16``/``25`` rejected, ``17``
  blocked number.

The webhook carries no signature, so the URL configured in the MSG91 panel
holds a secret token (``/messaging/dlr/msg91/?token=…``), compared in
constant time with ``SMS_PROVIDER_DLR_TOKEN`` (``messaging/views.py``).
The text itself comes from our registry: the template is also added in the
MSG91 panel with the same DLT template id, as MSG91 asks.
"""

from __future__ import annotations

import json

import requests
from django.conf import settings

from messaging.backends import SmsRefusedError, SmsTransientError

DELIVERED = {"1", "delivered"}
FAILED = {"2", "9", "16", "17", "25", "failed", "rejected", "ndnc", "blocked"}


class Msg91Backend:
    name = "msg91"
    keeps_text = False

    def send(self, message, *, template, text: str) -> str:
        template_id = template.dlt_template_id
        if not template_id:
            raise SmsRefusedError(f"no DLT template id for {template.name} (SMS_DLT_TEMPLATE_IDS)")
        payload = {
            "sender": settings.SMS_PROVIDER_SENDER,
            "route": settings.SMS_PROVIDER_ROUTE,
            "country": "91",
            "unicode": 0 if text.isascii() else 1,
            "DLT_TE_ID": template_id,
            "sms": [{"message": text, "to": [f"91{message.mobile}"]}],
        }
        try:
            response = requests.post(
                f"{settings.SMS_PROVIDER_API_BASE.rstrip('/')}/api/v2/sendsms",
                json=payload,
                headers={"authkey": settings.SMS_PROVIDER_AUTH_KEY,
                         "accept": "application/json"},
                timeout=(3, settings.SMS_PROVIDER_TIMEOUT),
            )
        except requests.RequestException as err:
            raise SmsTransientError(f"MSG91 unreachable: {err.__class__.__name__}") from err
        if response.status_code >= 500 or response.status_code == 429:
            raise SmsTransientError(f"MSG91 answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as err:
            raise SmsTransientError(f"MSG91 answered {response.status_code}, not JSON") from err
        if isinstance(body, dict) and body.get("type") == "success" and body.get("message"):
            return str(body["message"])
        reason = body.get("message") if isinstance(body, dict) else body
        raise SmsRefusedError(f"MSG91 {response.status_code}: {str(reason)[:120]}")


def _state(status) -> bool | None:
    value = str(status or "").strip().lower()
    if value in DELIVERED:
        return True
    if value in FAILED:
        return False
    return None  # submitted, pending …: not a final report


def parse_reports(*, content_type: str, body: bytes, form) -> list[tuple[str, bool, str]]:
    """Return (request id, delivered?, reason) for each final report in a webhook.

    Raises ``ValueError`` for a body that is not one of the documented shapes.
    """
    if "json" in content_type:
        data = json.loads(body.decode("utf-8"))
    else:
        data = json.loads(form.get("data") or "")
    items = data if isinstance(data, list) else [data]
    reports = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("report is not an object")
        reference = str(item.get("requestId") or "")
        lines = item.get("report")
        if not isinstance(lines, list):
            lines = [item]
        for line in lines:
            if not isinstance(line, dict):
                raise ValueError("report line is not an object")
            state = _state(line.get("status"))
            if reference and state is not None:
                reason = str(line.get("desc") or line.get("failureReason")
                             or line.get("failedReason") or "")
                reports.append((reference, state, reason[:100]))
    return reports
