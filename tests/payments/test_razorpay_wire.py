"""Razorpay's wire formats, without a database: paise, statuses, signatures."""

from __future__ import annotations

from decimal import Decimal

import pytest
import razorpay

from payments.gateways.razorpay_wire import (
    paise,
    payment_notice,
    payment_status,
    refund_notice,
    rupees,
    verified,
)
from tests.razorpay_fake import KEY_SECRET, hmac_hex


def test_paise_and_rupees_are_exact():
    assert paise(Decimal("12346.00")) == 1234600
    assert paise(Decimal("0.01")) == 1
    assert rupees(1234600) == Decimal("12346.00") and rupees(1) == Decimal("0.01")
    for bad in (True, 1.5, "100", None, -1, 1e30):
        with pytest.raises(ValueError):
            rupees(bad)


@pytest.mark.parametrize("entity, status", [
    ({"status": "captured", "captured": True}, "success"),
    ({"status": "refunded", "captured": True}, "success"),
    ({"status": "authorized", "captured": False}, "pending"),
    ({"status": "created"}, "pending"),
    ({"status": "failed"}, "failed"),
])
def test_payment_status(entity, status):
    assert payment_status(entity) == status


def test_payment_notice_refuses_other_currencies_and_ids():
    good = {"id": "pay_A1", "amount": 100, "currency": "INR", "status": "captured",
            "captured": True, "created_at": 1767225600, "vpa": "someone@upi"}
    notice = payment_notice("OTS1", good)
    assert (notice.amount, notice.reference, notice.status) == (Decimal("1.00"), "pay_A1",
                                                                "success")
    assert "vpa" not in notice.raw  # no payer details kept
    for bad in ({**good, "currency": "USD"}, {**good, "id": "x"}, {**good, "amount": "1"}):
        with pytest.raises(ValueError):
            payment_notice("OTS1", bad)
    with pytest.raises(ValueError):
        refund_notice({"id": "rfnd_1", "payment_id": "pay_1", "status": "odd", "amount": 1})


def test_verified_refuses_non_hex_before_the_sdk():
    """The SDK's own check raises TypeError on non-ASCII text; it is never reached."""
    check = razorpay.Client().utility.verify_webhook_signature
    signature = hmac_hex(KEY_SECRET, b'{"a": 1}')
    assert verified(signature, check, '{"a": 1}', signature, KEY_SECRET)
    assert not verified(signature, check, '{"a": 2}', signature, KEY_SECRET)
    for bad in ("ऊ" * 64, signature.upper(), signature[:-1], None, 7):
        assert not verified(bad, check, '{"a": 1}', bad, KEY_SECRET)
