"""A fake Razorpay on loopback (pytest-httpserver) that speaks the documented API.

It keeps its own orders, payments and refunds and answers the calls the
adapter makes through the official SDK — ``POST /v1/orders``,
``GET /v1/orders/{id}/payments``, ``GET /v1/payments/{id}``,
``POST /v1/payments/{id}/refund`` — only with HTTP Basic auth of the right key
id and secret. ``POST /v1/checkout/embedded`` is the hosted checkout a browser
is sent to: a page with a "Pay" button that takes the payment and posts
``razorpay_payment_id``, ``razorpay_order_id`` and ``razorpay_signature``
back to the ``callback_url``. Tests play Razorpay's other part (webhooks)
with :meth:`FakeRazorpay.webhook`.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import re
import threading
import time

import pytest
from werkzeug import Request, Response

KEY_ID = "rzp_test_FAKEKEY0000001"
KEY_SECRET = "fake-key-secret-for-tests"
WEBHOOK_SECRET = "fake-webhook-secret-for-tests"

_ids = itertools.count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}_T{next(_ids):013d}"


def _json(data, status=200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _error(description: str, status=400, field=None) -> Response:
    return _json({"error": {"code": "BAD_REQUEST_ERROR", "description": description,
                            "source": "business", "step": "payment_initiation",
                            "reason": "input_validation_failed", "metadata": {},
                            "field": field}}, status)


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class FakeRazorpay:
    def __init__(self, server):
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.orders: dict[str, dict] = {}
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.idempotency: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.capture_on_pay = True
        self.down = False
        self.lock = threading.Lock()
        api = [
            ("POST", re.compile(r"^/v1/orders$"), self._create_order),
            ("GET", re.compile(r"^/v1/orders/(order_\w+)$"), self._fetch_order),
            ("GET", re.compile(r"^/v1/orders/(order_\w+)/payments$"), self._order_payments),
            ("GET", re.compile(r"^/v1/payments/(pay_\w+)$"), self._fetch_payment),
            ("POST", re.compile(r"^/v1/payments/(pay_\w+)/refund$"), self._refund),
        ]
        for method, pattern, handler in api:
            server.expect_request(pattern, method=method).respond_with_handler(
                self._authed(pattern, handler))
        server.expect_request("/v1/checkout/embedded", method="POST").respond_with_handler(
            self._checkout)
        server.expect_request("/fake/pay", method="POST").respond_with_handler(self._pay)

    # The API ---------------------------------------------------------------

    def _authed(self, pattern, handler):
        def serve(request: Request) -> Response:
            self.calls.append((request.method, request.path))
            if self.down:
                return _json({"error": {"code": "SERVER_ERROR",
                                        "description": "We are facing some trouble"}}, 502)
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (KEY_ID, KEY_SECRET):
                return _error("The api key provided is invalid", 401)
            with self.lock:
                return handler(request, *pattern.match(request.path).groups())
        return serve

    def _create_order(self, request: Request) -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return _error("The request body is not JSON")
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
            return _error("The amount must be at least INR 1.00", field="amount")
        if data.get("currency") != "INR":
            return _error("The currency field is required", field="currency")
        receipt = data.get("receipt")
        if receipt is not None and (not isinstance(receipt, str) or len(receipt) > 40):
            return _error("receipt may have at most 40 characters", field="receipt")
        notes = data.get("notes") or {}
        if len(notes) > 15 or any(len(str(v)) > 256 for v in notes.values()):
            return _error("notes: at most 15 pairs of 256 characters", field="notes")
        extra = set(data) - {"amount", "currency", "receipt", "notes", "partial_payment"}
        if extra:
            return _error(f"{sorted(extra)[0]} is/are not required and should not be sent")
        order = {
            "id": _new_id("order"), "entity": "order", "amount": amount, "amount_paid": 0,
            "amount_due": amount, "currency": "INR", "receipt": receipt, "offer_id": None,
            "status": "created", "attempts": 0, "notes": notes, "created_at": int(time.time()),
        }
        self.orders[order["id"]] = order
        return _json(order)

    def _fetch_order(self, request, order_id):
        order = self.orders.get(order_id)
        return _json(order) if order else _error("The id provided does not exist")

    def _order_payments(self, request, order_id):
        if order_id not in self.orders:
            return _error("The id provided does not exist")
        items = [p for p in self.payments.values() if p["order_id"] == order_id]
        return _json({"entity": "collection", "count": len(items), "items": items})

    def _fetch_payment(self, request, payment_id):
        payment = self.payments.get(payment_id)
        return _json(payment) if payment else _error("The id provided does not exist")

    def _refund(self, request, payment_id):
        key = request.headers.get("X-Refund-Idempotency", "")
        if key and key in self.idempotency:
            return _json(self.idempotency[key])
        payment = self.payments.get(payment_id)
        if payment is None:
            return _error(f"{payment_id} is not a valid id")
        data = request.get_json(silent=True) or {}
        amount = data.get("amount", payment["amount"] - payment["amount_refunded"])
        if payment["status"] not in ("captured", "refunded"):
            return _error("The payment has not been captured")
        if amount > payment["amount"] - payment["amount_refunded"]:
            return _error("The refund amount provided is greater than amount captured")
        refund = {
            "id": _new_id("rfnd"), "entity": "refund", "amount": amount, "currency": "INR",
            "payment_id": payment_id, "notes": data.get("notes") or {},
            "receipt": data.get("receipt"), "acquirer_data": {"arn": None},
            "created_at": int(time.time()), "batch_id": None, "status": "processed",
            "speed_processed": "normal", "speed_requested": data.get("speed", "normal"),
        }
        self.refunds[refund["id"]] = refund
        payment["amount_refunded"] += amount
        payment["refund_status"] = ("full" if payment["amount_refunded"] == payment["amount"]
                                    else "partial")
        if payment["refund_status"] == "full":
            payment["status"] = "refunded"
        if key:
            self.idempotency[key] = refund
        return _json(refund)

    # The hosted checkout (the browser's part) --------------------------------

    def _checkout(self, request: Request) -> Response:
        form = request.form
        self.calls.append(("POST", "/v1/checkout/embedded"))
        order = self.orders.get(form.get("order_id", ""))
        if form.get("key_id") != KEY_ID or order is None or not form.get("callback_url"):
            return Response("<h1>Invalid checkout options</h1>", status=400,
                            content_type="text/html")
        self.last_checkout = dict(form)
        pay = self.new_payment(order["id"], status="created")
        fields = {
            "razorpay_payment_id": pay["id"], "razorpay_order_id": order["id"],
            "razorpay_signature": self.checkout_signature(order["id"], pay["id"]),
            "callback_url": form["callback_url"],
        }
        hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                         for k, v in fields.items())
        page = (
            "<!doctype html><html><head><title>Fake Razorpay</title></head><body>"
            f"<h1>Fake Razorpay checkout</h1><p id='amount'>{order['amount']}</p>"
            f"<p id='prefill-contact'>{html.escape(form.get('prefill[contact]', ''))}</p>"
            f"<form method='post' action='/fake/pay'>{hidden}"
            "<button id='rzp-pay' type='submit'>Pay</button></form>"
            f"<a id='rzp-cancel' href='{html.escape(form.get('cancel_url', ''))}'>Cancel</a>"
            "</body></html>"
        )
        return Response(page, content_type="text/html")

    def _pay(self, request: Request) -> Response:
        """The person pays: the payment is authorised (and captured), then back to the merchant.

        307 keeps the method and the body: the browser posts the three fields
        to the callback URL, as Razorpay's page does.
        """
        with self.lock:
            payment = self.payments[request.form["razorpay_payment_id"]]
            payment["status"] = "authorized"
            if self.capture_on_pay:
                self._capture(payment)
        response = Response("", status=307)
        response.headers["Location"] = request.form["callback_url"]
        return response

    # Razorpay's side, for tests ----------------------------------------------

    def new_payment(self, order_id: str, *, status: str = "captured", amount: int | None = None,
                    created_at: int | None = None) -> dict:
        order = self.orders[order_id]
        payment = {
            "id": _new_id("pay"), "entity": "payment",
            "amount": order["amount"] if amount is None else amount, "currency": "INR",
            "status": "created", "order_id": order_id, "invoice_id": None,
            "international": False, "method": "upi", "amount_refunded": 0,
            "refund_status": None, "captured": False, "description": None, "card_id": None,
            "bank": None, "wallet": None, "vpa": "success@razorpay",
            "email": "void@razorpay.com", "contact": "+919999999999", "notes": [],
            "fee": None, "tax": None, "error_code": None, "error_description": None,
            "error_source": None, "error_step": None, "error_reason": None,
            "acquirer_data": {"rrn": "267567962619"},
            "created_at": created_at or int(time.time()),
        }
        self.payments[payment["id"]] = payment
        order["attempts"] += 1
        order["status"] = "attempted"
        if status == "captured":
            payment["status"] = "authorized"
            self._capture(payment)
        elif status == "failed":
            self.fail(payment)
        else:
            payment["status"] = status
        return payment

    def _capture(self, payment: dict) -> None:
        payment.update(status="captured", captured=True, fee=2, tax=0)
        order = self.orders[payment["order_id"]]
        order.update(status="paid", amount_paid=payment["amount"], amount_due=0)

    def capture(self, payment: dict) -> dict:
        with self.lock:
            self._capture(payment)
        return payment

    def fail(self, payment: dict) -> dict:
        payment.update(status="failed", error_code="BAD_REQUEST_ERROR",
                       error_description="Payment failed", error_source="bank",
                       error_step="payment_authorization", error_reason="payment_failed")
        return payment

    def order_for(self, receipt: str) -> dict:
        return next(o for o in self.orders.values() if o["receipt"] == receipt)

    @staticmethod
    def checkout_signature(order_id: str, payment_id: str) -> str:
        return hmac_hex(KEY_SECRET, f"{order_id}|{payment_id}".encode())

    def webhook(self, event: str, payment: dict | None = None, *, refund: dict | None = None,
                event_id: str | None = None, indent=None) -> tuple[bytes, dict]:
        """Return the raw body and headers of a signed webhook, as Razorpay sends it."""
        payload: dict = {}
        contains = []
        if payment is not None:
            payload["payment"] = {"entity": dict(payment)}
            contains.append("payment")
        if event == "order.paid":
            payload["order"] = {"entity": dict(self.orders[payment["order_id"]])}
            contains.append("order")
        if refund is not None:
            payload["refund"] = {"entity": dict(refund)}
            contains.insert(0, "refund")
        data = {"entity": "event", "account_id": "acc_FAKE0000000001", "event": event,
                "contains": contains, "payload": payload, "created_at": int(time.time())}
        body = json.dumps(data, indent=indent).encode()
        return body, {
            "X-Razorpay-Signature": hmac_hex(WEBHOOK_SECRET, body),
            "X-Razorpay-Event-Id": event_id or _new_id("evt"),
        }


@pytest.fixture
def fake_razorpay(httpserver, settings):
    """A fake Razorpay on loopback, with the portal switched to the Razorpay adapter."""
    fake = FakeRazorpay(httpserver)
    settings.PAYMENT_GATEWAY = "payments.gateways.razorpay.RazorpayGateway"
    settings.RAZORPAY_KEY_ID = KEY_ID
    settings.RAZORPAY_KEY_SECRET = KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.RAZORPAY_API_BASE = fake.base
    return fake
