"""One-time passwords sent by SMS (DESIGN §7); moved here from ``consumers/otp.py``.

6 digits from ``secrets``; only an HMAC-SHA256 of the code (keyed by the
secret key, bound to the challenge's mobile and purpose) is stored; valid 10
minutes; 5 tries. Sends are counted on the durable ``OtpChallenge`` rows (a
cache flush does not reset them): at most 3 per hour for a mobile from one
client address, and at most 10 per hour for a mobile from all addresses
together — so a stranger's three requests for someone's case no longer use
up that person's own sends.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from common.queueing import broker_available
from core.errors import ServiceError
from messaging import sms_templates
from messaging.models import OtpChallenge, SmsMessage, SmsStatus
from messaging.sms import sms_queue

VALID_FOR = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_SENDS_PER_HOUR = 3  # per (mobile, client address)
MAX_SENDS_PER_MOBILE_PER_HOUR = 10  # per mobile, every address together


class OtpError(ServiceError):
    """An OTP refused, with a message for the person (translated)."""


@dataclass(frozen=True)
class Sent:
    challenge_id: int
    mobile: str


def _hash(*, mobile: str, purpose: str, code: str) -> str:
    # The salt keeps its old module name: challenges made before the move verify.
    return salted_hmac("consumers.otp", f"{mobile}:{purpose}:{code}",
                       algorithm="sha256").hexdigest()


def _address(client_ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(client_ip))
    except ValueError:
        return None


def _recent(mobile: str, now: dt.datetime):
    return OtpChallenge.objects.filter(mobile=mobile, created_at__gt=now - dt.timedelta(hours=1))


def _counted(addresses: list[str | None], client_ip: str) -> tuple[int, int]:
    """(sends from this address, sends from all) among the hour's sends' addresses."""
    address = _address(client_ip)
    return sum(1 for sent_from in addresses if sent_from == address), len(addresses)


def _sends_used(mobile: str, client_ip: str, now: dt.datetime) -> tuple[int, int]:
    """Return (sends from this address, sends from all) to ``mobile`` this hour."""
    return _counted(list(_recent(mobile, now).values_list("client_ip", flat=True)), client_ip)


def sends_left(mobile: str, *, client_ip: str = "", now: dt.datetime | None = None) -> int:
    """Return how many more OTPs may go to ``mobile`` for this client this hour."""
    here, everywhere = _sends_used(mobile, client_ip, now or timezone.now())
    return max(0, min(MAX_SENDS_PER_HOUR - here, MAX_SENDS_PER_MOBILE_PER_HOUR - everywhere))


@transaction.atomic
def otp_send(*, mobile: str, purpose: str, subject: str = "", language: str = "hi",
             template: str = sms_templates.OTP, variables: dict | None = None,
             client_ip: str = "") -> Sent:
    """Make a challenge and queue its SMS; refuse past the hourly send limits.

    ``client_ip`` is the asking browser's address (``common.clientip``).
    """
    # Serialise sends per mobile (PostgreSQL): lock the mobile's recent rows,
    # and count the hour's sends from the rows locked.
    sent_from = list(_recent(mobile, timezone.now()).select_for_update()
                     .values_list("client_ip", flat=True))
    if not broker_available():
        # The SMS could not leave now; refuse before a send is counted.
        raise OtpError(
            _("Sending SMS is temporarily unavailable. Nothing has been sent; please try "
              "again in a few minutes."),
            code="sms_unavailable",
        )
    here, everywhere = _counted(sent_from, client_ip)
    if here >= MAX_SENDS_PER_HOUR:
        raise OtpError(
            _("Three OTPs have already been sent to this mobile in the last hour. Please "
              "try again after an hour."),
            code="too_many_sends",
        )
    if everywhere >= MAX_SENDS_PER_MOBILE_PER_HOUR:
        raise OtpError(
            _("Too many OTPs have been asked for this mobile in the last hour. Please try "
              "again after an hour, or ask your SDO office."),
            code="too_many_sends",
        )
    code = f"{secrets.randbelow(10**6):06d}"
    # The SMS first, so the challenge is written once, already naming it (the
    # SMS is queued for delivery only when this transaction commits).
    message = sms_queue(mobile=mobile, template=template,
                        variables={**(variables or {}), "code": code}, language=language)
    challenge = OtpChallenge.objects.create(
        mobile=mobile, purpose=purpose, subject=subject[:64], client_ip=_address(client_ip),
        code_hash=_hash(mobile=mobile, purpose=purpose, code=code),
        expires_at=timezone.now() + VALID_FOR, message=message,
    )
    return Sent(challenge_id=challenge.pk, mobile=mobile)


DELAYED = "delayed"
FAILED = "failed"


def delivery_problem(challenge_id: int | None) -> str:
    """Say whether the challenge's SMS is held up: "", ``DELAYED`` or ``FAILED``.

    Delayed: its last try failed and it waits for the next, or the provider
    failed other messages in the last minutes while this one is still queued
    (the provider is down). Failed: every try failed (staff see it).
    """
    if not challenge_id:
        return ""
    challenge = OtpChallenge.objects.filter(pk=challenge_id).select_related("message").first()
    message = challenge.message if challenge is not None else None
    if message is None or message.status in (SmsStatus.SENT, SmsStatus.DELIVERED):
        return ""
    if message.status == SmsStatus.FAILED:
        return FAILED
    if message.error:
        return DELAYED
    provider_failing = SmsMessage.objects.filter(
        status=SmsStatus.QUEUED, attempts__gt=0, error__gt="",
        last_attempt_at__gt=timezone.now() - dt.timedelta(minutes=10),
    ).exists()
    return DELAYED if provider_failing else ""


def otp_verify(*, challenge_id: int, code: str, purpose: str, subject: str = "") -> OtpChallenge:
    """Check a code against its challenge; every wrong try is counted and kept."""
    code = (code or "").strip()
    with transaction.atomic():
        challenge = (OtpChallenge.objects.select_for_update()
                     .filter(pk=challenge_id, purpose=purpose).first())
        if challenge is None or (subject and challenge.subject != subject[:64]):
            error = OtpError(_("Please ask for a new OTP."), code="missing")
        elif challenge.verified_at is not None:
            error = OtpError(_("This OTP has already been used. Please ask for a new one."),
                             code="used")
        elif challenge.expires_at <= timezone.now():
            error = OtpError(_("This OTP has expired (it is valid for 10 minutes). Please "
                               "ask for a new one."), code="expired")
        elif challenge.attempts >= MAX_ATTEMPTS:
            error = OtpError(_("Too many wrong tries. Please ask for a new OTP."),
                             code="too_many_tries")
        else:
            challenge.attempts += 1
            right = constant_time_compare(
                challenge.code_hash,
                _hash(mobile=challenge.mobile, purpose=purpose, code=code),
            )
            if right:
                challenge.verified_at = timezone.now()
                challenge.save(update_fields=["attempts", "verified_at"])
                return challenge
            challenge.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - challenge.attempts
            if left:
                error = OtpError(
                    _("Wrong OTP. %(left)d tries left.") % {"left": left}, code="wrong"
                )
            else:
                error = OtpError(_("Wrong OTP, and no tries are left. Please ask for a "
                                   "new OTP."), code="too_many_tries")
    raise error
