"""Reminder SMS to unregistered eligible people before a phase ends (DESIGN §4.4).

Seven and two days before the current phase of an open scheme ends, every
eligible, unsettled case fed on the portal with a consumer mobile and no live
registration for the scheme gets one SMS, at most once per (case, phase,
days before): the ``Reminder`` row is written in the same transaction as the
outbox message, and its unique constraint refuses a second one.

The text states what registering now saves: the total payable in the next
phase minus the total payable now, both from the settlement engine
(``ots_scheme.settlement.quote_in_phase``, DESIGN §4.2). In the last phase
the comparison is with paying the dues in full after the scheme closes.
SMS texts are DLT templates (Hindi and English separately, LIBRARIES.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from core.money import format_inr
from defaulters.models import Reminder
from messaging import sms_templates
from messaging.sms import sms_queue
from ots_scheme.models import LIVE_REGISTRATION_STATUSES, Phase, Registration, Scheme
from ots_scheme.queries import phase_on, schemes_with_phases
from ots_scheme.services import phase_rule, rules_for
from ots_scheme.settlement import PhaseRule, SchemeRules, quote_in_phase
from theft_cases.models import CaseStatus, TheftCase

REMINDER_DAYS_BEFORE = (7, 2)
# The consumer's language is not on record: Hindi first (DESIGN §1).
SMS_LANGUAGE = getattr(settings, "DEFAULTERS_SMS_LANGUAGE", "hi")
BATCH = 1000

# The texts are DLT templates in messaging/sms_templates.py.
TEMPLATE_NEXT_PHASE = sms_templates.REMINDER_NEXT_PHASE
TEMPLATE_LAST_PHASE = sms_templates.REMINDER_LAST_PHASE


def saving_by_registering_now(rules: SchemeRules, phase: PhaseRule, *, assessment: Decimal,
                              compounding_fee: Decimal, deposited: Decimal
                              ) -> tuple[Decimal, Decimal, bool]:
    """Return (total payable now, saving, is last phase) for one case.

    The saving is against the next phase, or in the last phase against the
    full dues (assessment less deposits, plus compounding) after the scheme.
    """
    now = quote_in_phase(rules, phase, assessment=assessment,
                         compounding_fee=compounding_fee, deposited=deposited)
    later = [p for p in rules.phases if p.number > phase.number]
    if later:
        following = min(later, key=lambda p: p.number)
        then = quote_in_phase(rules, following, assessment=assessment,
                              compounding_fee=compounding_fee, deposited=deposited)
        return now.total_payable, max(Decimal("0"), then.total_payable - now.total_payable), False
    full = max(Decimal("0"), now.assessment - now.deposited) + now.compounding_fee
    return now.total_payable, max(Decimal("0"), full - now.total_payable), True


def reminder_candidates(*, scheme: Scheme, phase: Phase, days_before: int):
    """Return eligible unregistered cases with a mobile not yet reminded for this phase."""
    live = Registration.objects.filter(
        case=OuterRef("pk"), scheme=scheme, status__in=LIVE_REGISTRATION_STATUSES
    )
    reminded = Reminder.objects.filter(case=OuterRef("pk"), phase=phase,
                                       days_before=days_before)
    return (
        TheftCase.objects.filter(detection_date__gte=scheme.eligible_from,
                                 detection_date__lte=scheme.eligible_to)
        .exclude(status=CaseStatus.SETTLED)
        .exclude(consumer__mobile="")
        .exclude(Exists(live))
        .exclude(Exists(reminded))
    )


def _send_one(*, case: dict, rules: SchemeRules, phase: Phase, days_before: int) -> bool:
    payable, saving, last = saving_by_registering_now(
        rules, phase_rule(phase), assessment=case["assessment_amount"],
        compounding_fee=case["compounding_fee"], deposited=case["deposited_amount"],
    )
    try:
        with transaction.atomic():
            Reminder.objects.create(case_id=case["pk"], phase=phase, days_before=days_before)
            sms_queue(
                mobile=case["consumer__mobile"],
                template=TEMPLATE_LAST_PHASE if last else TEMPLATE_NEXT_PHASE,
                variables={
                    "case_number": case["case_number"],
                    "phase": phase.number,
                    "ends_on": phase.ends_on.strftime("%d-%m-%Y"),
                    "payable": format_inr(payable, decimals=0),
                    "saving": format_inr(saving, decimals=0),
                },
                language=SMS_LANGUAGE,
                bulk=True,
            )
    except IntegrityError:
        # Another run sent this reminder already (one per case, phase, kind).
        return False
    return True


def send_phase_reminders(*, today: dt.date) -> dict[str, int]:
    """Send the reminders due on ``today``; return how many were sent."""
    sent = 0
    for scheme in schemes_with_phases():
        phase = phase_on(scheme, today)
        if phase is None:
            continue
        days_before = (phase.ends_on - today).days
        if days_before not in REMINDER_DAYS_BEFORE:
            continue
        rules = rules_for(scheme)
        candidates = reminder_candidates(scheme=scheme, phase=phase, days_before=days_before)
        last_pk = 0
        # Keyset pages: rows already reminded drop out of the query as it goes.
        while True:
            page = list(
                candidates.filter(pk__gt=last_pk).order_by("pk").values(
                    "pk", "case_number", "assessment_amount", "compounding_fee",
                    "deposited_amount", "consumer__mobile",
                )[:BATCH]
            )
            if not page:
                break
            for case in page:
                sent += _send_one(case=case, rules=rules, phase=phase, days_before=days_before)
            last_pk = page[-1]["pk"]
    return {"sent": sent}
