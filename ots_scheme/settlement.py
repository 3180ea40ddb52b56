"""The settlement quote of an OTS scheme, as a pure function (DESIGN §4.2).

Rules come from the scheme's data (DESIGN §4.1; domain.md "Bijli Bill Rahat
Yojana 2025-26, theft component"): the phase whose registration dates contain
the day fixes the payable percentage of the assessment; the compounding fee
(Section 152) is payable in full; earlier deposits are deducted from the
discounted assessment, never refunded; the registration fee is the larger of
the scheme's minimum and its percentage of the assessment, counted inside the
total and never above it. The two products are rounded to whole rupees half
up (₹2,000.50 → ₹2,001); every other figure is an exact sum or difference.

No database and no Django here: plain ``Decimal`` and ``date`` in, a frozen
``Quote`` out, or a typed ``QuoteError`` whose message the caller translates
(``ots_scheme.services.error_message``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.money import AmountError, parse_amount, round_rupees

PAISE = Decimal("0.01")
RUPEE = Decimal("1")
HUNDRED = Decimal("100")
PHASE_END = "phase_end"
SCHEME_END = "scheme_end"


# --- Errors --------------------------------------------------------------


class QuoteError(Exception):
    """A refusal to quote; ``code`` names the rule, ``params`` its values."""

    code = "invalid"

    def __init__(self, **params):
        self.params = params
        super().__init__(f"{self.code}: {params}")


class InvalidAmount(QuoteError):
    """An amount is negative, not a number, or has more than two decimals."""

    code = "invalid_amount"


class NotOpen(QuoteError):
    """The date falls outside every phase of the scheme."""

    code = "not_open"


class NotEligible(QuoteError):
    """The case was detected outside the scheme's eligibility window."""

    code = "not_eligible"


class AlreadySettled(QuoteError):
    """The case has already been settled."""

    code = "already_settled"


class UnknownScheme(QuoteError):
    """No scheme has the code asked for."""

    code = "unknown_scheme"


# --- Rules ---------------------------------------------------------------


@dataclass(frozen=True)
class PhaseRule:
    number: int
    starts_on: dt.date
    ends_on: dt.date
    payable_percent: Decimal

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class SchemeRules:
    code: str
    eligible_from: dt.date
    eligible_to: dt.date
    min_registration_fee: Decimal = Decimal("2000")
    registration_percent: Decimal = Decimal("10")
    balance_deadline: str = PHASE_END
    phases: tuple[PhaseRule, ...] = field(default_factory=tuple)

    @property
    def opens_on(self) -> dt.date | None:
        return min((p.starts_on for p in self.phases), default=None)

    @property
    def closes_on(self) -> dt.date | None:
        return max((p.ends_on for p in self.phases), default=None)

    def phase_on(self, day: dt.date) -> PhaseRule | None:
        """Return the phase whose registration dates contain ``day``."""
        for phase in sorted(self.phases, key=lambda p: p.number):
            if phase.contains(day):
                return phase
        return None

    def balance_due_date(self, phase: PhaseRule) -> dt.date:
        """Return the balance deadline for a registration in ``phase`` (§4.1)."""
        if self.balance_deadline == SCHEME_END and self.closes_on is not None:
            return self.closes_on
        return phase.ends_on


# --- The quote -----------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value.quantize(PAISE, rounding=ROUND_HALF_UP):f}"


def percent_text(value: Decimal) -> str:
    """Return a percentage without trailing zeros: 50.00 → "50", 55.50 → "55.5"."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class Quote:
    scheme: str
    phase: int
    payable_percent: Decimal
    assessment: Decimal
    assessment_payable: Decimal
    waiver: Decimal
    compounding_fee: Decimal
    deposited: Decimal
    net_assessment: Decimal
    total_payable: Decimal
    registration_fee: Decimal
    balance: Decimal
    balance_due_date: dt.date
    # The rule's inputs, kept so a figure can be explained (staff pages).
    registration_percent: Decimal = Decimal("10")
    min_registration_fee: Decimal = Decimal("2000")

    @property
    def percent_fee(self) -> Decimal:
        """The registration percentage of the assessment, rounded half up."""
        return round_rupees(self.assessment * self.registration_percent / HUNDRED)

    def as_json(self) -> dict:
        """Return the ``ots_quote`` object of DESIGN §3 (amounts as strings)."""
        return {
            "scheme": self.scheme,
            "phase": self.phase,
            "payable_percent": percent_text(self.payable_percent),
            "assessment": _money(self.assessment),
            "assessment_payable": _money(self.assessment_payable),
            "waiver": _money(self.waiver),
            "compounding_fee": _money(self.compounding_fee),
            "deposited": _money(self.deposited),
            "total_payable": _money(self.total_payable),
            "registration_fee": _money(self.registration_fee),
            "balance": _money(self.balance),
        }


def amount(value: object, *, name: str) -> Decimal:
    """Return ``value`` as a rupee Decimal, or raise ``InvalidAmount``.

    Read by the one amount parser (``core.money.parse_amount``, DESIGN §5):
    Decimal, int or text such as ``"1,23,456.50"``; floats (binary fractions
    are not money), signs, exponents, NaN/infinity, more than two decimals and
    more than 12 digits are refused. ``reason`` in the error's params is the
    parser's code.
    """
    try:
        return parse_amount(value)
    except AmountError as error:
        raise InvalidAmount(field=name, value=str(value), reason=error.code) from None


def quote_in_phase(
    rules: SchemeRules,
    phase: PhaseRule,
    *,
    assessment: object,
    compounding_fee: object,
    deposited: object = Decimal("0"),
) -> Quote:
    """Return the quote for a registration in ``phase``, whatever the date.

    The calculator shows every phase side by side with this; ``quote`` picks
    the phase from the date.
    """
    assessment = amount(assessment, name="assessment")
    compounding_fee = amount(compounding_fee, name="compounding_fee")
    deposited = amount(deposited, name="deposited")
    assessment_payable = round_rupees(assessment * phase.payable_percent / HUNDRED)
    waiver = assessment - assessment_payable
    net_assessment = max(Decimal("0.00"), assessment_payable - deposited)
    total_payable = net_assessment + compounding_fee
    percent_fee = round_rupees(assessment * rules.registration_percent / HUNDRED)
    registration_fee = min(total_payable, max(rules.min_registration_fee, percent_fee))
    return Quote(
        scheme=rules.code,
        phase=phase.number,
        payable_percent=phase.payable_percent,
        assessment=assessment,
        assessment_payable=assessment_payable,
        waiver=waiver,
        compounding_fee=compounding_fee,
        deposited=deposited,
        net_assessment=net_assessment,
        total_payable=total_payable,
        registration_fee=registration_fee.quantize(PAISE),
        balance=(total_payable - registration_fee).quantize(PAISE),
        balance_due_date=rules.balance_due_date(phase),
        registration_percent=rules.registration_percent,
        min_registration_fee=rules.min_registration_fee,
    )


def quote(
    rules: SchemeRules,
    *,
    assessment: object,
    compounding_fee: object,
    deposited: object = Decimal("0"),
    on: dt.date,
    detection_date: dt.date | None = None,
    settled: bool = False,
) -> Quote:
    """Return the settlement quote for a registration made on ``on`` (§4.2).

    Refusals, in this order: an invalid amount, a case already settled, a
    detection date outside the eligibility window (checked only when given),
    a date outside every phase.
    """
    for name, value in (
        ("assessment", assessment),
        ("compounding_fee", compounding_fee),
        ("deposited", deposited),
    ):
        amount(value, name=name)
    if settled:
        raise AlreadySettled(scheme=rules.code)
    if detection_date is not None and not (
        rules.eligible_from <= detection_date <= rules.eligible_to
    ):
        raise NotEligible(
            scheme=rules.code,
            detection_date=detection_date,
            eligible_from=rules.eligible_from,
            eligible_to=rules.eligible_to,
        )
    phase = rules.phase_on(on)
    if phase is None:
        raise NotOpen(
            scheme=rules.code, on=on, opens_on=rules.opens_on, closes_on=rules.closes_on
        )
    return quote_in_phase(
        rules, phase,
        assessment=assessment, compounding_fee=compounding_fee, deposited=deposited,
    )
