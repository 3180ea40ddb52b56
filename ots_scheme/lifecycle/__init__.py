"""Every change of ``Registration.status``: the one owner of the field (STYLE.md).

A package, one owner however many files (tests/core/test_status_owners.py):
``base`` (the refusal, the lock, freezing, settling, holding), ``money``
(money arriving), ``held`` (held money: refunds, applying it), ``staff``
(verify, reject, displace) and ``sweeps`` (set-based expiry and lapse).
Callers import from ``ots_scheme.lifecycle``; the names below are its API.

The lifecycle of DESIGN §4.3 with the money rules of §4.2a:

``submitted`` → ``fee_paid`` → ``verified`` → ``settled``; ``submitted``
expires after 48 hours unpaid; ``fee_paid``/``verified`` → ``lapsed`` when
the balance is not paid by the deadline; any → ``rejected`` by staff.

When money arrives (:func:`registration_credit`, called by the payments app
inside its transaction, after the payments ledger wrote the credit entry):

* the registration date is the IST date the fee money arrived, and the
  settlement is frozen on that day's phase from the case's amounts at that
  moment; no phase open that day → the money is held for staff;
* balance due = frozen total payable − money actually credited;
* settled only when credited ≥ total payable;
* a balance after the deadline lapses the registration and stays credited;
* money for a registration that is not live, or more than the total, is held
  for staff (``HeldReason``), who apply it or record its refund.

Per-row transitions lock the registration (``of=("self",)``: never the
scheme and sub-division rows it joins). Set-based transitions (expiry,
lapse) write their history rows themselves.
"""

from ots_scheme.lifecycle.base import PaymentOutcome, RegistrationError, lock
from ots_scheme.lifecycle.held import registration_debit, registration_held_apply
from ots_scheme.lifecycle.money import registration_credit, registration_settle_nothing_due
from ots_scheme.lifecycle.staff import (
    registration_reject,
    registration_verify,
    registrations_displace,
)
from ots_scheme.lifecycle.sweeps import registrations_expire_unpaid, registrations_lapse

__all__ = [
    "PaymentOutcome", "RegistrationError", "lock", "registration_credit",
    "registration_debit", "registration_held_apply", "registration_reject",
    "registration_settle_nothing_due", "registration_verify", "registrations_displace",
    "registrations_expire_unpaid", "registrations_lapse",
]
