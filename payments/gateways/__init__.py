"""Payment gateways behind one interface (settings.PAYMENT_GATEWAY)."""

from payments.gateways.base import (
    GatewayError,
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
    get_gateway,
)

__all__ = [
    "GatewayError",
    "GatewayNotice",
    "InvalidCallback",
    "NoticeStatus",
    "PaymentGateway",
    "get_gateway",
]
