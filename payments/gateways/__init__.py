"""Payment gateways behind one interface (settings.PAYMENT_GATEWAY)."""

from payments.gateways.base import (
    CheckoutForm,
    GatewayError,
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
    RefundNotice,
    get_gateway,
)

__all__ = [
    "CheckoutForm",
    "GatewayError",
    "GatewayNotice",
    "InvalidCallback",
    "NoticeStatus",
    "PaymentGateway",
    "RefundNotice",
    "get_gateway",
]
