"""System checks of the payments app: a configured gateway can actually work."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

RAZORPAY = "payments.gateways.razorpay.RazorpayGateway"


@checks.register(checks.Tags.security)
def razorpay_settings(app_configs=None, **kwargs):
    """With the Razorpay adapter selected, its keys and webhook secret must be set.

    Without the key pair no order can be made; without the webhook secret
    every webhook is refused and only the status query would credit money.
    """
    if getattr(settings, "PAYMENT_GATEWAY", "") != RAZORPAY:
        return []
    problems = []
    for name in ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"):
        value = getattr(settings, name, "")
        if not value or "change-me" in value:
            problems.append(checks.Error(
                f"{name} must be set when PAYMENT_GATEWAY is the Razorpay adapter.",
                hint="docs/deploy.md, 'Switching on Razorpay'.", id="payments.E101"))
    if (getattr(settings, "RAZORPAY_KEY_SECRET", "")
            and settings.RAZORPAY_KEY_SECRET == getattr(settings, "RAZORPAY_WEBHOOK_SECRET", "")):
        problems.append(checks.Error(
            "RAZORPAY_WEBHOOK_SECRET must differ from RAZORPAY_KEY_SECRET.",
            hint="Razorpay signs webhooks with the secret typed on the webhook.",
            id="payments.E102"))
    base = getattr(settings, "RAZORPAY_API_BASE", "")
    if not settings.DEBUG and not base.startswith("https://"):
        problems.append(checks.Error(
            "RAZORPAY_API_BASE must be an https:// URL outside DEBUG.",
            id="payments.E103"))
    return problems
