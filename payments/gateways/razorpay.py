"""Razorpay behind the gateway interface, on the official ``razorpay`` SDK.

Selected by ``PAYMENT_GATEWAY=payments.gateways.razorpay.RazorpayGateway``;
settings ``RAZORPAY_KEY_ID``, ``RAZORPAY_KEY_SECRET``,
``RAZORPAY_WEBHOOK_SECRET`` and ``RAZORPAY_API_BASE`` (DESIGN §3).

Written to Razorpay's documentation (docs/deploy.md names the pages):

* An order is made with the Orders API (``POST /v1/orders``): the amount in
  paise, our order id as ``receipt``, the registration and purpose in
  ``notes``. Orders have no expiry field (only payment links and QR codes
  take ``expire_by``), so DESIGN §4.2a's "expire at the end of the IST day"
  is our own rule: money that still arrives later is credited, and the
  money rules freeze the registration on the day the money arrived.
* The browser posts the checkout options to Hosted Checkout
  (``POST {RAZORPAY_API_BASE}/v1/checkout/embedded``); no Razorpay script
  runs on the portal's pages. Razorpay posts ``razorpay_payment_id``,
  ``razorpay_order_id`` and ``razorpay_signature`` back to ``callback_url``.
* The checkout signature is HMAC-SHA256 of ``order_id|payment_id`` with the
  key secret, ``order_id`` being the one stored here, never the one posted.
  Razorpay asks merchants to deliver only once the payment is ``captured``,
  so a verified return fetches the payment and reports what it says.
* Webhooks carry ``X-Razorpay-Signature``: HMAC-SHA256 of the raw body with
  the webhook secret (a different secret). They repeat and arrive out of
  order (``payment.failed`` may come before ``payment.captured`` for the same
  payment); ``payments.services`` makes that harmless.
* The status query fetches the order's payments
  (``GET /v1/orders/{id}/payments``).

Amounts cross the API as integer paise and become ``Decimal`` rupees here.
The moment money arrived is the payment's ``created_at`` whichever path
reports it first, so a webhook and a status query agree on the day.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import razorpay
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from payments.gateways.base import (
    CheckoutForm,
    GatewayError,
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
    RefundNotice,
)
from payments.gateways.razorpay_wire import (
    CURRENCY,
    DEFAULT_API_BASE,
    EVENT_ID_HEADER,
    PAYMENT_EVENTS,
    REFUND_EVENTS,
    SDK_ERRORS,
    SIGNATURE_HEADER,
    TIMEOUT,
    paise,
    payment_notice,
    payment_status,
    refund_notice,
    rupees,
    summary,
    verified,
)
from payments.models import RazorpayOrder

__all__ = ["PAYMENT_EVENTS", "REFUND_EVENTS", "RazorpayGateway"]

logger = logging.getLogger(__name__)


class RazorpayGateway(PaymentGateway):
    name = "razorpay"
    signature_header = SIGNATURE_HEADER
    can_refund = True  # the Refunds API (refund() below)

    def __init__(self):
        self.key_id = getattr(settings, "RAZORPAY_KEY_ID", "")
        self.key_secret = getattr(settings, "RAZORPAY_KEY_SECRET", "")
        self.webhook_secret = getattr(settings, "RAZORPAY_WEBHOOK_SECRET", "")
        self.api_base = (getattr(settings, "RAZORPAY_API_BASE", "") or DEFAULT_API_BASE
                         ).rstrip("/")

    @property
    def configured(self) -> bool:
        return bool(self.key_id and self.key_secret)

    def client(self) -> razorpay.Client:
        if not self.configured:
            raise GatewayError("RAZORPAY_KEY_ID / RAZORPAY_KEY_SECRET are not set")
        return razorpay.Client(auth=(self.key_id, self.key_secret), base_url=self.api_base)

    def _call(self, what: str, call):
        try:
            answer = call()
        except SDK_ERRORS as exc:
            raise GatewayError(f"razorpay {what}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(answer, dict):
            raise GatewayError(f"razorpay {what}: answer is not a JSON object")
        return answer

    # Orders and the hosted checkout -----------------------------------------

    def ensure_order(self, payment):
        """Return the Razorpay order of ``payment``, making it on first use."""
        existing = RazorpayOrder.objects.filter(payment=payment).first()
        if existing is not None:
            return existing
        registration = payment.registration
        data = {
            "amount": paise(payment.amount),
            "currency": CURRENCY,
            "receipt": payment.order_id,
            "notes": {
                "order_id": payment.order_id,
                "registration_number": registration.registration_number,
                "purpose": payment.purpose,
            },
        }
        order = self._call("create order",
                           lambda: self.client().order.create(data=data, timeout=TIMEOUT))
        try:
            amount = rupees(order.get("amount"))
            if not str(order.get("id") or "").startswith("order_"):
                raise ValueError(order.get("id"))
        except ValueError as exc:
            raise GatewayError(f"razorpay create order: unreadable answer ({exc})") from exc
        if amount != payment.amount or order.get("receipt") != payment.order_id:
            raise GatewayError("razorpay create order: amount or receipt differ from ours")
        try:
            with transaction.atomic():
                return RazorpayOrder.objects.create(
                    payment=payment, razorpay_order_id=order["id"], amount=amount, raw=order,
                )
        except IntegrityError:
            # A second tab made its order first: use that one.
            return RazorpayOrder.objects.get(payment=payment)

    def checkout_url(self, *, order_id: str) -> str:
        # Razorpay takes a form post (checkout_form); without one, wait on our page.
        return reverse("payments:return", args=[order_id])

    def checkout_form(self, *, payment, request) -> CheckoutForm:
        order = self.ensure_order(payment)
        registration = payment.registration
        fields = [
            ("key_id", self.key_id),
            ("order_id", order.razorpay_order_id),
            ("amount", str(paise(payment.amount))),
            ("currency", CURRENCY),
            ("name", getattr(settings, "RAZORPAY_MERCHANT_NAME", "MVVNL")),
            ("description", f"{payment.get_purpose_display()} · "
                            f"{registration.registration_number}"),
            ("prefill[name]", registration.applicant_name),
            ("prefill[contact]", f"+91{registration.mobile}" if registration.mobile else ""),
            ("prefill[email]", registration.email or ""),
            ("notes[registration_number]", registration.registration_number),
            ("callback_url", request.build_absolute_uri(
                reverse("payments:razorpay_callback", args=[payment.order_id]))),
            ("cancel_url", request.build_absolute_uri(
                reverse("payments:return", args=[payment.order_id]))),
        ]
        return CheckoutForm(action=f"{self.api_base}/v1/checkout/embedded",
                            fields=tuple((k, str(v)) for k, v in fields if v != ""))

    # The browser's return --------------------------------------------------

    def parse_return(self, *, order_id: str, data) -> GatewayNotice:
        """Verify the checkout's post to ``callback_url`` and ask Razorpay about it.

        Raises InvalidCallback for a failed or forged return (it decides
        nothing), GatewayError when Razorpay cannot be asked.
        """
        order = RazorpayOrder.objects.filter(payment__order_id=order_id).first()
        if order is None:
            raise InvalidCallback("no razorpay order")
        payment_id = str(data.get("razorpay_payment_id") or "")[:64]
        signature = str(data.get("razorpay_signature") or "")[:128]
        if not payment_id or not signature:
            raise InvalidCallback("payment not completed")
        posted_order = str(data.get("razorpay_order_id") or order.razorpay_order_id)
        if posted_order != order.razorpay_order_id:
            raise InvalidCallback("order mismatch")
        # The order id signed is the one stored here, never the posted one.
        if not verified(signature, self.client().utility.verify_payment_signature, {
                "razorpay_order_id": order.razorpay_order_id,
                "razorpay_payment_id": payment_id, "razorpay_signature": signature}):
            raise InvalidCallback("bad signature")
        entity = self._call("fetch payment", lambda: self.client().payment.fetch(
            payment_id, timeout=TIMEOUT))
        if entity.get("order_id") != order.razorpay_order_id:
            raise InvalidCallback("payment of another order")
        try:
            return payment_notice(order_id, entity)
        except ValueError as exc:
            raise GatewayError(f"razorpay fetch payment: unreadable answer ({exc})") from exc

    # Webhooks --------------------------------------------------------------

    def webhook_signature_ok(self, body: bytes, signature: str | None) -> bool:
        """HMAC-SHA256 of the raw body with the webhook secret (not the key secret)."""
        if not self.webhook_secret:
            return False
        try:
            text = body.decode("utf-8")  # the SDK signs text; this keeps the bytes
        except UnicodeDecodeError:
            return False
        return verified(signature, razorpay.Client().utility.verify_webhook_signature,
                         text, signature, self.webhook_secret)

    @staticmethod
    def event_name(body: bytes) -> str:
        """The event a webhook body says it is, unverified (to route it)."""
        try:
            data = json.loads(body)
        except ValueError:
            return ""
        return str(data.get("event") or "") if isinstance(data, dict) else ""

    def _verified_event(self, body: bytes, headers) -> dict:
        if not self.webhook_signature_ok(body, headers.get(SIGNATURE_HEADER)):
            raise InvalidCallback("bad signature")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise InvalidCallback("unreadable body") from exc
        if not isinstance(data, dict):
            raise InvalidCallback("unreadable body")
        return data

    def parse_callback(self, *, body: bytes, headers) -> GatewayNotice:
        """Verify and read a payment webhook (payment.* and order.paid)."""
        data = self._verified_event(body, headers)
        if data.get("event") not in PAYMENT_EVENTS:
            raise InvalidCallback("not a payment event")
        try:
            payload = data["payload"]
            entity = payload["payment"]["entity"]
            if not isinstance(entity, dict):
                raise TypeError("payment entity")
            order_id = self._our_order_id(entity.get("order_id"))
            notice = payment_notice(order_id, entity)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidCallback("unreadable body") from exc
        raw = {**notice.raw, "event": data.get("event"),
               "event_id": str(headers.get(EVENT_ID_HEADER) or "")[:64]}
        return GatewayNotice(order_id=notice.order_id, status=notice.status,
                             amount=notice.amount, reference=notice.reference,
                             paid_at=notice.paid_at, raw=raw)

    def parse_refund_callback(self, *, body: bytes, headers) -> RefundNotice:
        """Verify and read a refund webhook (refund.created / processed / failed)."""
        data = self._verified_event(body, headers)
        if data.get("event") not in REFUND_EVENTS:
            raise InvalidCallback("not a refund event")
        try:
            entity = data["payload"]["refund"]["entity"]
            notice = refund_notice(entity)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidCallback("unreadable body") from exc
        raw = {**notice.raw, "event": data.get("event"),
               "event_id": str(headers.get(EVENT_ID_HEADER) or "")[:64]}
        return RefundNotice(refund_id=notice.refund_id, reference=notice.reference,
                            status=notice.status, amount=notice.amount, raw=raw)

    def other_event(self, *, body: bytes, headers) -> tuple[str, dict]:
        """Read a verified event of a kind the portal does not act on (a dispute…).

        Returns our order id when it names a payment of ours (else "") and
        what is worth keeping of it.
        """
        data = self._verified_event(body, headers)
        payload = data.get("payload") if isinstance(data.get("payload"), dict) else {}
        entity = (payload.get("payment") or {}).get("entity") if isinstance(
            payload.get("payment"), dict) else None
        order_id = self._stored_order_id(entity.get("order_id")) if isinstance(
            entity, dict) else None
        kept = {"event": str(data.get("event"))[:60],
                "event_id": str(headers.get(EVENT_ID_HEADER) or "")[:64],
                "payment": summary(entity) if isinstance(entity, dict) else None,
                "contains": data.get("contains")}
        return order_id or "", kept

    @staticmethod
    def _our_order_id(razorpay_order_id) -> str:
        """Our order id for a Razorpay order made here, else Razorpay's own id.

        Only the stored mapping counts (not a ``receipt`` in the payload): a
        payment is credited to the order it was made against, or to none
        (the service answers "unknown order").
        """
        razorpay_order_id = str(razorpay_order_id or "")[:40]
        return RazorpayGateway._stored_order_id(razorpay_order_id) or razorpay_order_id

    @staticmethod
    def _stored_order_id(razorpay_order_id) -> str | None:
        if not razorpay_order_id:
            return None
        return (RazorpayOrder.objects.filter(razorpay_order_id=str(razorpay_order_id)[:40])
                .values_list("payment__order_id", flat=True).first())

    # The status query ------------------------------------------------------

    def query_status(self, *, order_id: str) -> GatewayNotice:
        order = RazorpayOrder.objects.filter(payment__order_id=order_id).first()
        if order is None:
            # The browser never reached Razorpay: no order was made there.
            return GatewayNotice(order_id=order_id, status=NoticeStatus.UNKNOWN)
        answer = self._call("fetch order payments", lambda: self.client().order.payments(
            order.razorpay_order_id, timeout=TIMEOUT))
        items = answer.get("items")
        if not isinstance(items, list):
            raise GatewayError("razorpay fetch order payments: no items")
        entities = [item for item in items
                    if isinstance(item, dict) and item.get("order_id") == order.razorpay_order_id]
        if not entities:
            return GatewayNotice(order_id=order_id, status=NoticeStatus.UNKNOWN,
                                 raw={"razorpay_order_id": order.razorpay_order_id, "count": 0})
        # One captured attempt is the answer; otherwise one still in flight;
        # otherwise the latest failure.
        rank = {NoticeStatus.SUCCESS: 0, NoticeStatus.PENDING: 1, NoticeStatus.FAILED: 2}

        def order_of(item):
            created = item.get("created_at")
            return rank[payment_status(item)], -(created if isinstance(created, int) else 0)

        try:
            return payment_notice(order_id, min(entities, key=order_of))
        except ValueError as exc:
            raise GatewayError(f"razorpay fetch order payments: unreadable ({exc})") from exc

    # Refunds ---------------------------------------------------------------

    def refund(self, *, payment, amount: Decimal, notes: dict | None = None,
               idempotency_key: str = "") -> RefundNotice:
        """Refund ``amount`` of a captured payment (Refunds API, normal speed).

        ``idempotency_key`` (10+ letters, digits, ``-`` or ``_``) makes a retry
        after a lost answer safe (``X-Refund-Idempotency``).
        """
        if not payment.gateway_reference.startswith("pay_"):
            raise GatewayError("no Razorpay payment id to refund")
        data = {
            "amount": paise(amount),
            "speed": "normal",
            "receipt": payment.order_id,
            "notes": {str(k)[:40]: str(v)[:256] for k, v in (notes or {}).items()},
        }
        options = {"timeout": TIMEOUT}
        if idempotency_key:
            options["headers"] = {"X-Refund-Idempotency": idempotency_key}
        answer = self._call("refund", lambda: self.client().payment.refund(
            payment.gateway_reference, data, **options))
        try:
            return refund_notice(answer)
        except (KeyError, TypeError, ValueError) as exc:
            raise GatewayError(f"razorpay refund: unreadable answer ({exc})") from exc
