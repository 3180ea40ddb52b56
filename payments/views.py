"""Pages of the payments app: thin — check, call one service or query, respond."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.deployment import sandbox_allowed
from common.throttling import throttle
from core.csp import CONTENT_SECURITY_POLICY
from ots_scheme.models import Registration
from payments import queries, receipts, services
from payments.forms import MissingPaymentForm
from payments.gateways import GatewayError, InvalidCallback, get_gateway
from payments.gateways.razorpay import PAYMENT_EVENTS, REFUND_EVENTS, RazorpayGateway
from payments.gateways.sandbox import (
    SandboxGateway,
    bank_decide,
    sandbox_status_reply,
    send_callbacks,
)
from payments.models import PaymentStatus

logger = logging.getLogger(__name__)

# Expired: a status query found the bank never took the money.
DECIDED = (PaymentStatus.SUCCESS, PaymentStatus.FAILED, PaymentStatus.EXPIRED)
# While the browser waits on the return page, the bank is asked at most this
# often (seconds), and not before this long after the return.
RETURN_QUERY_INTERVAL = 20


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def registration_page_url(registration_number: str) -> str | None:
    """The consumer's registration page, when the consumers app provides it."""
    try:
        return reverse("consumers:registration", args=[registration_number])
    except NoReverseMatch:
        return None


def checkout(request, order_id: str):
    """Send the browser to the gateway's page for this order."""
    payment = queries.payment_for_request(request, order_id)
    if payment.status not in services.OPEN_STATUSES:
        return redirect("payments:return", payment.order_id)
    gateway = get_gateway()
    try:
        form = gateway.checkout_form(payment=payment, request=request)
    except GatewayError:
        logger.warning("gateway could not open order %s", payment.order_id, exc_info=True)
        messages.error(request, _("The bank cannot be reached just now. Nothing was "
                                  "charged; please try again in a few minutes."))
        number = payment.registration.registration_number
        return redirect(registration_page_url(number) or "home")
    payment = services.payment_mark_sent(payment=payment)
    if form is None:
        return redirect(gateway.checkout_url(order_id=payment.order_id))
    # The form goes to the bank's own origin: let this one page post there.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(form.action))
    response = render(request, "payments/gateway_form.html", {"payment": payment, "form": form})
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}")
    return _no_store(response)


def _time_to_ask_bank(order_id: str, *, first_visit: bool) -> bool:
    """At most one direct status query per order every RETURN_QUERY_INTERVAL s.

    The first visit only starts the clock. With the cache down the page still
    answers (a person whose money was taken must see it) and asks the bank
    only on polls.
    """
    key = f"payments:return-query:{order_id}"
    try:
        fresh = cache.add(key, 1, RETURN_QUERY_INTERVAL)
    except Exception:  # noqa: BLE001 - the cache backend's own errors
        return not first_visit
    return fresh and not first_visit


def payment_return(request, order_id: str):
    """The browser is back from the bank: show "confirming…" until the bank decides.

    The return itself never decides anything (a person may come back before,
    after or without the bank's callback). While the payment is open the page
    polls with htmx; every ``RETURN_QUERY_INTERVAL`` seconds a poll asks the
    bank directly, so a lost callback does not keep the person waiting.
    """
    payment = queries.payment_by_order(order_id)
    if payment.status not in DECIDED:
        if _time_to_ask_bank(payment.order_id, first_visit=not request.htmx):
            try:
                services.payment_reconcile(payment_id=payment.pk, source="return_query")
            except GatewayError:
                pass  # Reconciliation tasks keep trying; the page keeps polling.
            payment.refresh_from_db()
    context = {
        "payment": payment,
        "decided": payment.status in DECIDED,
        "success": payment.status == PaymentStatus.SUCCESS,
        # An order id alone (a shared link, a proxy log) shows only
        # "confirming / paid / not paid": the registration number, amount
        # and bank reference are for the person's own session or staff.
        "owner": queries.may_see_payment(request, payment),
        "registration_url": None,
    }
    if context["owner"]:
        number = payment.registration.registration_number
        context.update({
            "registration_number": number,
            "registration_url": registration_page_url(number),
            "status_url": f"/ots/status/?registration={number}",
        })
    if request.htmx:
        response = render(request, "payments/_return_status.html", context)
        if context["success"] and context["registration_url"]:
            response["HX-Redirect"] = context["registration_url"]
        return _no_store(response)
    return _no_store(render(request, "payments/return.html", context))


@csrf_exempt
@require_POST
def callback(request):
    """Server-to-server notice from the gateway (HMAC-verified in the service)."""
    result = services.callback_receive(body=request.body, headers=request.headers)
    return HttpResponse(result.outcome, status=result.http_status, content_type="text/plain")


def _sandbox_only() -> None:
    """404 unless the sandbox gateway is configured where it may run (DESIGN §3)."""
    if not (isinstance(get_gateway(), SandboxGateway) and sandbox_allowed()):
        raise Http404


def _razorpay() -> RazorpayGateway:
    """The Razorpay adapter when its keys are set (whatever PAYMENT_GATEWAY is), else 404.

    Payments made through Razorpay keep being reported by it after a switch
    of PAYMENT_GATEWAY, so its return and webhook stay open while it has keys.
    """
    gateway = RazorpayGateway()
    if not gateway.configured:
        raise Http404
    return gateway


@csrf_exempt
@require_POST
def razorpay_callback(request, order_id: str):
    """Razorpay's hosted checkout posts here (its ``callback_url``), cross-site.

    A verified signature makes Razorpay be asked about the payment at once;
    anything else decides nothing and is kept. Either way the browser goes
    on to the return page, which shows "confirming" until the bank decides.
    """
    gateway = _razorpay()
    payment = queries.payment_by_order(order_id)
    try:
        notice = gateway.parse_return(order_id=payment.order_id, data=request.POST)
    except InvalidCallback as exc:
        logger.warning("razorpay return for %s refused: %s", payment.order_id, exc)
        posted = {key[:60]: request.POST.get(key, "")[:300] for key in list(request.POST)[:20]
                  if key != "razorpay_signature"}
        services.gateway_event_record(order_id=payment.order_id, kind="return_refused",
                                      payload={"reason": str(exc), "posted": posted})
    except GatewayError:
        logger.warning("razorpay unreachable on return of %s", payment.order_id)
    else:
        services.notice_apply(notice=notice, source="return", gateway_name=gateway.name)
    # 303: the browser fetches the return page with GET (and its own cookies).
    response = HttpResponseRedirect(reverse("payments:return", args=[payment.order_id]))
    response.status_code = 303
    return response


@csrf_exempt
@require_POST
def razorpay_webhook(request):
    """Razorpay's webhook (DESIGN §3): HMAC of the raw body, checked in the adapter."""
    gateway = _razorpay()
    event = gateway.event_name(request.body)
    if event in REFUND_EVENTS:
        result = services.refund_callback_receive(body=request.body, headers=request.headers,
                                                  gateway=gateway)
    elif event in PAYMENT_EVENTS or not event or not gateway.webhook_signature_ok(
            request.body, request.headers.get(gateway.signature_header)):
        result = services.callback_receive(body=request.body, headers=request.headers,
                                           gateway=gateway)
    else:
        # A genuine event of a kind this portal does not act on (a dispute…):
        # kept on the payment it names, and a 2xx, or Razorpay retries it for
        # a day and then disables the webhook.
        order_id, kept = gateway.other_event(body=request.body, headers=request.headers)
        logger.warning("razorpay webhook %s not acted on (order %s)", event[:60],
                       order_id or "-")
        if order_id:
            services.gateway_event_record(order_id=order_id, kind="webhook_not_acted_on",
                                          payload=kept)
        return HttpResponse("ignored", content_type="text/plain")
    return HttpResponse(result.outcome, status=result.http_status, content_type="text/plain")


@require_http_methods(["GET", "POST"])
def sandbox_bank(request, order_id: str):
    """The sandbox "bank" page: Pay / Fail / Leave pending (sandbox gateway only)."""
    _sandbox_only()
    payment = queries.payment_by_order(order_id)
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        if outcome not in ("success", "failed", "pending"):
            messages.error(request, _("Choose Pay, Fail or Leave pending."))
            return redirect("payments:sandbox_bank", order_id)
        bank_decide(order_id=payment.order_id, outcome=outcome, amount=payment.amount)
        send_callbacks(order_id=payment.order_id)
        return redirect("payments:return", payment.order_id)
    return render(request, "payments/sandbox_bank.html", {
        "payment": payment,
        "open": payment.status in services.OPEN_STATUSES,
        "callback_mode": getattr(settings, "SANDBOX_CALLBACK_MODE", "immediate"),
    })


def sandbox_status(request, order_id: str):
    """The sandbox bank's status-query endpoint: signed JSON about one order.

    ``SandboxGateway.query_status`` reads the same record in-process; this is
    the bank's API as an outside client would see it. Without the owner's
    session (or staff) it says only the order's status, like the return page.
    """
    _sandbox_only()
    payment = queries.payment_by_order(order_id)
    body, headers = sandbox_status_reply(order_id=payment.order_id,
                                         full=queries.may_see_payment(request, payment))
    response = HttpResponse(body, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return _no_store(response)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _no_store(response)


def _verify_url(request, registration, kind: str) -> str:
    """The public check of a document (its QR code), on this site's address."""
    code = receipts.document_code(registration=registration, kind=kind)
    return request.build_absolute_uri(f"/verify/{code}/")


def acknowledgement(request, registration_number: str):
    """The acknowledgement PDF, once the registration fee is paid."""
    registration = queries.registration_for_request(request, registration_number)
    try:
        content = receipts.acknowledgement_pdf(
            registration=registration,
            verify_url=_verify_url(request, registration, receipts.ACKNOWLEDGEMENT))
    except receipts.NotYetIssued as exc:
        raise Http404 from exc
    return _pdf_response(content, f"acknowledgement-{registration_number}.pdf")


def certificate(request, registration_number: str):
    """The settlement certificate PDF, once the registration is settled."""
    registration = queries.registration_for_request(request, registration_number)
    try:
        content = receipts.certificate_pdf(
            registration=registration,
            verify_url=_verify_url(request, registration, receipts.CERTIFICATE))
    except receipts.NotYetIssued as exc:
        raise Http404 from exc
    return _pdf_response(content, f"settlement-certificate-{registration_number}.pdf")


@throttle(rate="20/h", method="POST")
@require_http_methods(["GET", "POST"])
def report_missing(request):
    """Money taken but not shown: take the bank reference and ask the bank now."""
    form = MissingPaymentForm(request.POST or None, initial={
        "registration_number": request.GET.get("registration", "")[:24],
    })
    report = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["registration_number"]
        registration = Registration.objects.filter(registration_number=number).first()
        if registration is None:
            form.add_error("registration_number", _("No registration has this number."))
        else:
            try:
                report = services.missing_report_create(
                    registration=registration,
                    bank_reference=form.cleaned_data["bank_reference"],
                )
            except services.PaymentError as exc:
                form.add_error("bank_reference", str(exc))
    template = "payments/_report_missing.html" if request.htmx else "payments/report_missing.html"
    return _no_store(render(request, template, {"form": form, "report": report}))
