"""The nightly sweep against unregistered defaulters (DESIGN §4.3, §4.4).

Three set-based steps, each a handful of SQL statements whatever the number
of cases (no Python loop over cases):

* :func:`lapse_overdue_registrations` — ``fee_paid``/``verified``
  registrations whose balance deadline passed with no successful balance
  payment become ``lapsed``; the registration fee stays in the payment
  ledger, credited against the dues (domain.md "Decisions").
* :func:`flag_defaulters` — for each active scheme whose registration window
  has opened, every eligible, unsettled case with no live registration for
  that scheme, ``scheme.flag_after_days`` after the later of its feeding date
  and the scheme's opening, gets one open ``ActionItem`` (reason "lapsed" if
  a registration for the scheme lapsed, else "unregistered") assigned to its
  sub-division; open items whose case has since registered (fee paid,
  verified or settled) are closed as "registered".
* :func:`escalate_overdue_actions` — open items left ``ESCALATE_AFTER_DAYS``
  past their due date are marked escalated for the Executive Engineer.

Audit trail: ``QuerySet.update()`` is invisible to django-simple-history
(django-simple-history#174), so the steps (and ``defaulters.actions``, the
owner of the items' status) write the matching historical rows themselves
with one ``INSERT … SELECT`` per table (history type ``+`` for new
items, ``~`` for changes, with a change reason naming the sweep): lapsed
registrations, new, closed and escalated items, and cases whose flag is
cleared. A newly flagged case gets no historical case row (at 10⁶ cases that
would double the sweep); its flag is recorded by its new item (created_at,
reason, scheme) with that item's "+" row, and by the case's ``flagged_at``.

Cost at 10⁶ cases (issue 18): the case updates change only unindexed
columns (``status``, ``flagged_at``; ``updated_at`` is left alone), so
PostgreSQL keeps them heap-only (HOT) in the free space of each page instead
of writing a new entry in each of the case table's indexes per row. The
API's change feed takes a flag from the new item's ``created_at`` (a cleared
flag from its ``CaseStatusChange`` row). On PostgreSQL the items and their
"+" history rows are written by one statement (the inserted rows feed the
history insert), and the item table and its history keep only the indexes
something reads (defaulters migration 0002).

Idempotence: a case is flagged only when it has no open item (the partial
unique index ``one_open_action_item_per_case`` backs this up, and the insert
skips conflicts), so running the sweep twice creates nothing new. On
PostgreSQL a transaction-level advisory lock serialises two sweeps; staff
keep working meanwhile: the updates re-check their conditions on each row.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from common.history import record_history
from core.dates import IST
from defaulters.actions import items_close, items_open
from defaulters.models import ActionItem, ActionStatus, ClosedReason
from ots_scheme.lifecycle import registrations_lapse
from ots_scheme.models import LIVE_REGISTRATION_STATUSES, Registration, RegistrationStatus
from ots_scheme.queries import schemes_with_phases
from theft_cases.lifecycle import cases_changed_at, cases_clear_flag, cases_flag
from theft_cases.models import CaseStatus, TheftCase

# Days an officer has to act on a newly flagged case (the item's due date).
ACTION_DUE_DAYS = getattr(settings, "DEFAULTERS_ACTION_DUE_DAYS", 15)
# Days past the due date after which an untouched item goes to the XEN.
ESCALATE_AFTER_DAYS = getattr(settings, "DEFAULTERS_ESCALATE_AFTER_DAYS", 7)
# A registration in one of these has really registered: it clears a flag.
# (``submitted`` is live but unpaid; it keeps the case off the list without
# closing an item already open, and expires in 48 hours.)
CLEARING_STATUSES = [
    RegistrationStatus.FEE_PAID,
    RegistrationStatus.VERIFIED,
    RegistrationStatus.SETTLED,
]
LAPSING_STATUSES = [RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED]
# Above this many new items the sweep refreshes the item table's statistics.
ANALYZE_AFTER = 10_000
# Serialises concurrent sweeps on PostgreSQL (an arbitrary, fixed key).
SWEEP_LOCK_KEY = 4_402_023

def _lock_sweep() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])


def _start_of_ist_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=IST)


def _open_items():
    return ActionItem.objects.exclude(status=ActionStatus.CLOSED)


# --- Lapse ---------------------------------------------------------------------


def overdue_registrations(*, today: dt.date) -> QuerySet:
    """Return fee-paid/verified registrations whose balance deadline has passed unpaid."""
    # Settled ones are not in LAPSING_STATUSES: a registration waiting for its
    # balance is one whose credited money does not cover the total yet.
    return Registration.objects.filter(status__in=LAPSING_STATUSES, balance_due_date__lt=today)


@transaction.atomic
def lapse_overdue_registrations(*, today: dt.date) -> int:
    """Lapse registrations unpaid after their balance deadline (DESIGN §4.3).

    Nothing is refunded or removed: the money credited stays credited against
    the case's dues. The next flagging sweep flags the cases (reason "lapsed").
    """
    return registrations_lapse(queryset=overdue_registrations(today=today),
                               now=timezone.now())


# --- Flagging --------------------------------------------------------------------


def _scheme_conditions(*, today: dt.date):
    """Return (scheme, due Q, lapsed Q) for each scheme the sweep applies to today.

    A scheme applies once its registration window has opened; a case is due
    ``flag_after_days`` after the later of its feeding (IST date) and the
    scheme's opening. A case whose item for the scheme was withdrawn by staff
    is not flagged again for that scheme.
    """
    conditions = []
    for scheme in schemes_with_phases().order_by("is_demo", "code"):
        if scheme.opens_on is None or scheme.opens_on > today:
            continue
        last_due_day = today - dt.timedelta(days=scheme.flag_after_days)
        if scheme.opens_on > last_due_day:
            continue
        # DESIGN §4.4: never flag a case with a live or settled registration
        # under ANY scheme (two schemes may be open or overlap).
        live = Registration.objects.filter(
            case=OuterRef("pk"), status__in=LIVE_REGISTRATION_STATUSES
        )
        withdrawn = ActionItem.objects.filter(
            case=OuterRef("pk"), scheme=scheme, closed_reason=ClosedReason.WITHDRAWN
        )
        lapsed = Registration.objects.filter(
            case=OuterRef("pk"), scheme=scheme, status=RegistrationStatus.LAPSED
        )
        due = (
            Q(detection_date__gte=scheme.eligible_from, detection_date__lte=scheme.eligible_to,
              fed_at__lt=_start_of_ist_day(last_due_day + dt.timedelta(days=1)))
            & ~Exists(live)
            & ~Exists(withdrawn)
        )
        conditions.append((scheme, due, Exists(lapsed)))
    return conditions


def due_cases(*, today: dt.date) -> QuerySet:
    """Return the cases the sweep wants on an action list on ``today``."""
    conditions = _scheme_conditions(today=today)
    if not conditions:
        return TheftCase.objects.none()
    any_due = Q()
    for _scheme, due, _lapsed in conditions:
        any_due |= due
    return TheftCase.objects.exclude(status=CaseStatus.SETTLED).filter(any_due)


def _clear_registered(*, now: dt.datetime) -> int:
    """Close open items of cases that have registered or settled since they were flagged."""
    # Registered under any scheme clears the flag (DESIGN §4.4).
    registered = Registration.objects.filter(
        case=OuterRef("case"), status__in=CLEARING_STATUSES
    )
    settled_case = TheftCase.objects.filter(pk=OuterRef("case_id"), status=CaseStatus.SETTLED)
    # Items first: the conditions are evaluated once, over the open items;
    # the cases to clear are then those of the items closed just now.
    cleared = items_close(
        queryset=_open_items().filter(Exists(registered) | Exists(settled_case)),
        now=now,
        closed_reason=SqlCase(
            When(Exists(settled_case), then=Value(ClosedReason.SETTLED)),
            default=Value(ClosedReason.REGISTERED),
        ),
        change_reason="closed by the sweep: registered",
    )
    if not cleared:
        return 0
    closed_now = ActionItem.objects.filter(status=ActionStatus.CLOSED, closed_at=now)
    cases = TheftCase.objects.filter(pk__in=closed_now.values("case_id"))
    if cases_clear_flag(queryset=cases, now=now):
        record_history(cases_changed_at(now), when=now,
                       reason="registered: flag cleared by the sweep")
    return cleared


def _flag_new(*, today: dt.date, now: dt.datetime, conditions) -> int:
    """Open one item for each due case without one; mark the cases flagged."""
    if len(conditions) == 1:
        # The usual night: one scheme, so no need to test which one applies.
        scheme, _due, lapsed = conditions[0]
        scheme_for_case = Value(scheme.pk)
        reason = SqlCase(When(lapsed, then=Value("lapsed")), default=Value("unregistered"),
                         output_field=CharField())
    else:
        scheme_for_case = SqlCase(
            *[When(due, then=Value(scheme.pk)) for scheme, due, _lapsed in conditions]
        )
        reason = SqlCase(
            *[When(due & lapsed, then=Value("lapsed")) for _scheme, due, lapsed in conditions],
            default=Value("unregistered"),
            output_field=CharField(),
        )
    any_due = Q()
    for _scheme, due, _lapsed in conditions:
        any_due |= due
    new_cases = (
        TheftCase.objects.exclude(status=CaseStatus.SETTLED)
        .filter(any_due)
        .exclude(Exists(_open_items().filter(case=OuterRef("pk"))))
    )
    flagged = items_open(cases=new_cases, scheme=scheme_for_case, reason=reason, now=now,
                         due_date=today + dt.timedelta(days=ACTION_DUE_DAYS))
    if not flagged:
        return 0
    if flagged >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # The planner has no statistics for the rows just inserted (it would
        # guess ~100 and join them to 10⁶ cases by a nested loop, 10 s of
        # the sweep); ANALYZE samples them, this transaction's rows included.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ActionItem._meta.db_table)}")
    new_items = ActionItem.objects.filter(created_at=now, status=ActionStatus.OPEN)
    # fed/registered → flagged; action_taken stays (the officer's work goes on).
    cases_flag(queryset=TheftCase.objects.filter(pk__in=new_items.values("case_id")), now=now)
    # No historical case rows here: at a million cases they would double the
    # sweep (DESIGN §6). The audit trail of a flag is the item itself (when,
    # why, which scheme), its "+" historical row, and the case's flagged_at.
    return flagged


@transaction.atomic
def flag_defaulters(*, today: dt.date) -> dict[str, int]:
    """Run the flagging sweep of DESIGN §4.4 for ``today`` (an IST date).

    Returns the counts of DESIGN §3: cases newly ``flagged``, items
    ``cleared`` because the person registered (or settled), and due cases
    ``already_flagged`` (an item was open before this run).
    """
    _lock_sweep()
    now = timezone.now()
    cleared = _clear_registered(now=now)
    conditions = _scheme_conditions(today=today)
    if not conditions:
        return {"flagged": 0, "cleared": cleared, "already_flagged": 0}
    already_flagged = due_cases(today=today).filter(
        Exists(_open_items().filter(case=OuterRef("pk")))
    ).count()
    flagged = _flag_new(today=today, now=now, conditions=conditions)
    return {"flagged": flagged, "cleared": cleared, "already_flagged": already_flagged}


# The sweep's settings on PostgreSQL. JIT off: each statement would spend
# ~0.8 s compiling expressions (EXPLAIN ANALYZE at 10⁵ and 10⁶ cases) for
# writes that JIT does not speed up. More work_mem: at 10⁶ cases the new
# items (the history insert's input) and the hash of them the case update
# joins spill to temporary files at the default 4 MB.
SWEEP_SETTINGS = {"jit": "off", "work_mem": "256MB"}


@contextmanager
def _sweep_settings():
    """Run the sweep's bulk statements with :data:`SWEEP_SETTINGS`, then restore them."""
    if connection.vendor != "postgresql":
        yield
        return
    before = {}
    with connection.cursor() as cursor:
        for name, value in SWEEP_SETTINGS.items():
            cursor.execute("SELECT current_setting(%s), set_config(%s, %s, false)",
                           [name, name, value])
            before[name] = cursor.fetchone()[0]
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        except DatabaseError:  # an aborted transaction: its rollback restores it
            pass


def run_sweep(*, today: dt.date) -> dict[str, int]:
    """Lapse overdue registrations, then flag: what the nightly job and the command do."""
    with _sweep_settings():
        lapsed = lapse_overdue_registrations(today=today)
        counts = flag_defaulters(today=today)
    return {**counts, "lapsed": lapsed}


# --- Escalation ------------------------------------------------------------------


@transaction.atomic
def escalate_overdue_actions(*, today: dt.date) -> int:
    """Mark items left ``ESCALATE_AFTER_DAYS`` past their due date as escalated."""
    now = timezone.now()
    escalated = _open_items().filter(
        escalated_at__isnull=True,
        due_date__lte=today - dt.timedelta(days=ESCALATE_AFTER_DAYS),
    ).update(escalated_at=now)
    if escalated:
        record_history(
            ActionItem.objects.filter(escalated_at=now),
            when=now, reason="escalated: overdue by 7 days or more",
        )
    return escalated
