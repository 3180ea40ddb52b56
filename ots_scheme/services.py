"""Writes of the settlement engine: quote, freeze and recompute registrations.

DESIGN §4.2: the phase, percent and amounts of a registration are frozen when
its fee is paid; a change to the case's amounts re-computes only the
registrations not yet fee-paid. The arithmetic lives in
``ots_scheme/settlement.py``; this module reads the scheme's rows, applies a
quote to registrations and translates the engine's refusals.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.queueing import enqueue_on_commit
from core.dates import ist_date, today_ist
from ots_scheme.models import (
    LIVE_REGISTRATION_STATUSES,
    Phase,
    Registration,
    RegistrationStatus,
    Scheme,
)
from ots_scheme.settlement import (
    PhaseRule,
    Quote,
    QuoteError,
    SchemeRules,
    UnknownScheme,
    quote,
)
from ots_scheme.tasks import recompute_case_quotes
from theft_cases.models import CaseStatus

logger = logging.getLogger(__name__)

# The registration's columns a quote fills (besides the phase FK and dates).
QUOTE_FIELDS = [
    "phase_number", "payable_percent", "assessment", "assessment_payable", "waiver",
    "compounding_fee", "deposited", "total_payable", "registration_fee", "balance",
    "balance_due_date",
]
RECOMPUTE_BATCH = 2000


# --- Rules from the scheme's rows -------------------------------------------


def phase_rule(phase: Phase) -> PhaseRule:
    """Return the engine's rule for one phase row."""
    return PhaseRule(number=phase.number, starts_on=phase.starts_on, ends_on=phase.ends_on,
                     payable_percent=phase.payable_percent)


def rules_for(scheme: Scheme) -> SchemeRules:
    """Return the engine's rules for ``scheme`` (uses prefetched phases if any)."""
    return SchemeRules(
        code=scheme.code,
        eligible_from=scheme.eligible_from,
        eligible_to=scheme.eligible_to,
        min_registration_fee=scheme.min_registration_fee,
        registration_percent=scheme.registration_percent,
        balance_deadline=scheme.balance_deadline,
        phases=tuple(
            phase_rule(p) for p in sorted(scheme.phases.all(), key=lambda p: p.number)
        ),
    )


def scheme_by_code(code: str) -> Scheme:
    """Return the scheme with ``code`` and its phases, or raise UnknownScheme."""
    scheme = Scheme.objects.prefetch_related("phases").filter(code=code).first()
    if scheme is None:
        raise UnknownScheme(code=code)
    return scheme


def _phase_ids(scheme_id: int) -> dict[int, int]:
    return dict(Phase.objects.filter(scheme_id=scheme_id).values_list("number", "id"))


# --- Messages ---------------------------------------------------------------


def _day(value) -> str:
    return formats.date_format(value, "d-m-Y") if value else "—"


def error_message(error: QuoteError) -> str:
    """Return the refusal ``error`` as a sentence in the active language."""
    p = error.params
    if error.code == "invalid_amount":
        labels = {
            "assessment": _("Assessment"),
            "compounding_fee": _("Compounding fee"),
            "deposited": _("Earlier deposits"),
        }
        return _(
            "%(field)s must be an amount in rupees, 0 or more, with at most two "
            "decimals (got “%(value)s”)."
        ) % {"field": labels.get(p.get("field"), p.get("field")), "value": p.get("value")}
    if error.code == "not_open":
        return _(
            "Scheme %(scheme)s is not open for registration on %(on)s: it runs from "
            "%(opens_on)s to %(closes_on)s."
        ) % {
            "scheme": p["scheme"], "on": _day(p["on"]),
            "opens_on": _day(p.get("opens_on")), "closes_on": _day(p.get("closes_on")),
        }
    if error.code == "not_eligible":
        return _(
            "This case was detected on %(detection_date)s; scheme %(scheme)s covers "
            "theft detected from %(eligible_from)s to %(eligible_to)s."
        ) % {
            "scheme": p["scheme"], "detection_date": _day(p["detection_date"]),
            "eligible_from": _day(p["eligible_from"]), "eligible_to": _day(p["eligible_to"]),
        }
    if error.code == "already_settled":
        return _("This case has already been settled under scheme %(scheme)s.") % {
            "scheme": p["scheme"]
        }
    if error.code == "unknown_scheme":
        return _("There is no scheme with the code “%(code)s”.") % {"code": p["code"]}
    return _("The settlement could not be worked out.")


# --- Quotes for cases and registrations ---------------------------------------


def _case_quote(*, case, rules: SchemeRules, on: dt.date) -> Quote:
    return quote(
        rules,
        assessment=case.assessment_amount,
        compounding_fee=case.compounding_fee,
        deposited=case.deposited_amount,
        on=on,
        detection_date=case.detection_date,
        settled=case.status == CaseStatus.SETTLED,
    )


def quote_for_case(*, case, scheme: Scheme, on: dt.date) -> Quote:
    """Return the quote for ``case`` registering in ``scheme`` on ``on``.

    Raises ``QuoteError`` (not eligible, already settled, not open on ``on``).
    """
    return _case_quote(case=case, rules=rules_for(scheme), on=on)


def _copy_quote(registration: Registration, result: Quote, phase_id: int | None) -> None:
    registration.phase_id = phase_id
    registration.phase_number = result.phase
    registration.payable_percent = result.payable_percent
    registration.assessment = result.assessment
    registration.assessment_payable = result.assessment_payable
    registration.waiver = result.waiver
    registration.compounding_fee = result.compounding_fee
    registration.deposited = result.deposited
    registration.total_payable = result.total_payable
    registration.registration_fee = result.registration_fee
    registration.balance = result.balance
    registration.balance_due_date = result.balance_due_date


def quote_apply(*, registration: Registration, quote: Quote, on: dt.date | None = None) -> None:
    """Store ``quote`` on ``registration`` (not a freeze) and save those fields.

    ``on`` is the registration date the quote was made for; by default the
    stored ``quoted_on``, else today in IST.
    """
    phase_id = _phase_ids(registration.scheme_id).get(quote.phase)
    _copy_quote(registration, quote, phase_id)
    if on is not None:
        registration.quoted_on = on
    elif registration.quoted_on is None:
        registration.quoted_on = today_ist()
    registration.save(update_fields=["phase", *QUOTE_FIELDS, "quoted_on"])


@transaction.atomic
def settlement_freeze(*, registration: Registration, paid_at: dt.datetime | None = None,
                      on: dt.date | None = None) -> Registration:
    """Freeze the quote of ``registration`` for the day its fee money arrived.

    DESIGN §4.2a: the registration date is the IST date the fee was paid
    (``on``, or the IST date of ``paid_at``: a payment at 00:30 IST on 4 Jan
    2026 is phase 2), and the figures come from the case's amounts at that
    moment. Idempotent: a frozen registration is returned unchanged.

    Raises ``NotOpen`` when no phase is open that day (nothing changes): the
    lifecycle then holds the money for staff, who may apply it to the
    registration's own quote date — an explicit, audited decision rather
    than a silent one.
    """
    if on is None:
        if paid_at is None:
            raise ValueError("settlement_freeze needs the day the fee was paid")
        on = ist_date(paid_at)
    locked = (
        # Lock the registration only: a plain FOR UPDATE over the join would
        # also lock the scheme row, serialising (and deadlocking) every
        # payment of the scheme.
        Registration.objects.select_for_update(of=("self",))
        .select_related("case", "scheme")
        .get(pk=registration.pk)
    )
    if locked.frozen_at is None:
        result = _case_quote(case=locked.case, rules=rules_for(locked.scheme), on=on)
        _copy_quote(locked, result, _phase_ids(locked.scheme_id).get(result.phase))
        locked.quoted_on = on
        locked.frozen_at = timezone.now()
        locked._change_reason = "settlement frozen at fee payment"
        locked.save(update_fields=["phase", *QUOTE_FIELDS, "quoted_on", "frozen_at"])
    # The caller's instance reflects what is stored.
    for name in ["phase_id", *QUOTE_FIELDS, "quoted_on", "frozen_at"]:
        setattr(registration, name, getattr(locked, name))
    return registration


# --- Recompute of unfrozen registrations -------------------------------------


@dataclass
class RecomputeResult:
    recomputed: int = 0
    unchanged: int = 0
    unquotable: int = 0

    def as_dict(self) -> dict:
        return {
            "recomputed": self.recomputed,
            "unchanged": self.unchanged,
            "unquotable": self.unquotable,
        }


def unfrozen_registrations():
    """Return the registrations whose quote may still change (§4.2).

    Live and not fee-paid: status ``submitted`` and never frozen.
    """
    return Registration.objects.filter(
        status=RegistrationStatus.SUBMITTED, frozen_at__isnull=True
    )


def case_quotes_requeue(case_ids: list[int]) -> int:
    """Queue a re-quote for each case with a registration not yet frozen (§4.2).

    Registered with case feeding (``theft_cases.services.on_case_amounts_changed``)
    by ``OtsSchemeConfig.ready``; runs inside the transaction that changed the
    amounts, so the tasks go out on commit. Returns how many were queued.
    """
    pending: list[int] = []
    for start in range(0, len(case_ids), 5000):
        pending += list(
            Registration.objects.filter(
                case_id__in=case_ids[start:start + 5000],
                status__in=LIVE_REGISTRATION_STATUSES, frozen_at__isnull=True,
            ).values_list("case_id", flat=True).distinct()
        )
    for case_id in pending:
        enqueue_on_commit(recompute_case_quotes, case_id)
    return len(pending)


def case_registrations_recompute(*, case_id: int) -> RecomputeResult:
    """Re-quote the unfrozen registrations of one case from its current amounts."""
    return _recompute(unfrozen_registrations().filter(case_id=case_id))


def scheme_registrations_recompute(*, scheme_id: int) -> RecomputeResult:
    """Re-quote every unfrozen registration of a scheme (after its phases change)."""
    return _recompute(unfrozen_registrations().filter(scheme_id=scheme_id))


def _recompute(queryset) -> RecomputeResult:
    """Re-quote ``queryset`` in batches; write only the rows whose figures change.

    Each registration keeps its registration date (``quoted_on``, else the
    IST date it was created). A registration whose date no longer falls in a
    phase, or whose case is no longer eligible, keeps its stored quote and is
    counted as ``unquotable`` (staff see it in the registration list).
    """
    result = RecomputeResult()
    rules_cache: dict[int, tuple[SchemeRules, dict[int, int]]] = {}
    last_id = 0
    while True:
        batch = list(
            queryset.filter(pk__gt=last_id)
            .select_related("case")
            .order_by("pk")[:RECOMPUTE_BATCH]
        )
        if not batch:
            return result
        last_id = batch[-1].pk
        changed = []
        for registration in batch:
            if registration.scheme_id not in rules_cache:
                scheme = Scheme.objects.prefetch_related("phases").get(
                    pk=registration.scheme_id
                )
                rules_cache[registration.scheme_id] = (
                    rules_for(scheme), _phase_ids(scheme.pk)
                )
            rules, phase_ids = rules_cache[registration.scheme_id]
            day = registration.quoted_on or ist_date(registration.created_at)
            try:
                fresh = _case_quote(case=registration.case, rules=rules, on=day)
            except QuoteError as error:
                logger.info("registration %s not re-quoted: %s", registration.pk, error)
                result.unquotable += 1
                continue
            before = [getattr(registration, f) for f in ["phase_id", *QUOTE_FIELDS]]
            _copy_quote(registration, fresh, phase_ids.get(fresh.phase))
            registration.quoted_on = day
            after = [getattr(registration, f) for f in ["phase_id", *QUOTE_FIELDS]]
            if before == after:
                result.unchanged += 1
            else:
                changed.append(registration)
        if changed:
            result.recomputed += _write_quotes(changed)


@transaction.atomic
def _write_quotes(registrations: list[Registration]) -> int:
    """Write re-quoted registrations and their history rows in one transaction.

    The UPDATE is guarded by "still submitted and not frozen", so a fee paid
    between the read and this write keeps its frozen figures.
    """
    fields = ["phase", *QUOTE_FIELDS, "quoted_on"]
    if connection.vendor == "postgresql":
        registrations = _update_from_values(registrations)
    else:
        unfrozen_registrations().bulk_update(registrations, fields)
    Registration.history.bulk_history_create(
        registrations, update=True, default_change_reason="quote recomputed",
        batch_size=RECOMPUTE_BATCH,
    )
    return len(registrations)


def _update_from_values(registrations: list[Registration]) -> list[Registration]:
    """Update many rows in one statement: ``UPDATE … FROM (VALUES …)``.

    Django's ``bulk_update`` builds one CASE per column whose size grows with
    the batch; a VALUES list keeps 100,000 re-quotes well inside a minute.
    """
    table = Registration._meta.db_table
    columns = ["phase_id", *QUOTE_FIELDS, "quoted_on"]
    casts = {
        "phase_id": "integer", "phase_number": "smallint", "payable_percent": "numeric",
        "balance_due_date": "date", "quoted_on": "date",
    }
    row = "(%s::bigint, " + ", ".join(
        f"%s::{casts.get(c, 'numeric')}" for c in columns
    ) + ")"
    values = ", ".join([row] * len(registrations))
    params = []
    for r in registrations:
        params.append(r.pk)
        params.extend(getattr(r, c) for c in columns)
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    sql = (
        f"UPDATE {table} AS r SET {assignments} "  # noqa: S608 - names are ours  # nosec B608
        f"FROM (VALUES {values}) AS v (id, {', '.join(columns)}) "
        "WHERE r.id = v.id AND r.frozen_at IS NULL AND r.status = %s RETURNING r.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, RegistrationStatus.SUBMITTED.value])
        written = {row[0] for row in cursor.fetchall()}
    return [r for r in registrations if r.pk in written]
