"""Synthetic theft cases at scale for ``bench/`` (``manage.py bench_generate``).

The mix below is the one shape of the synthetic data; two writers turn it
into rows: set-based ``INSERT … SELECT FROM generate_series`` on PostgreSQL
(:mod:`bench.benchdata_pg`, a million cases in minutes) and chunked
``bulk_create`` everywhere else (small N, e.g. SQLite in tests).

Shape (domain.md, DESIGN §4): cases detected across 2023, spread unevenly over
every sub-division (so some divisions are visibly behind), fed at least 35
days after detection; consumers with a mobile for ~75 % and an account number
except for direct theft without a connection (NC); registrations in the
scheme's phases with the quote of DESIGN §4.2 frozen once the fee is paid and
success payments in the ledger; some unregistered cases flagged with an open
action item, a few with a notice served, some reminded.

History rows (django-simple-history) are not written: bench data measures
reads, and history of synthetic rows would only double the insert time.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F

from core.dates import IST, today_ist
from core.money import round_rupees
from organization.models import OrgUnit, UnitKind
from organization.services import org_tree_load, read_tree_file
from ots_scheme.models import Phase, Registration, RegistrationStatus, Scheme
from ots_scheme.services import phase_rule, rules_for
from ots_scheme.settlement import quote_in_phase
from redportal import demo
from theft_cases.compounding import suggest_compounding_fee

CASE_PREFIX = "BG/"
TREE_FILE = Path(settings.BASE_DIR) / "organization/data/mvvnl_lesa.csv"

# category, share, load range (kW), tariff ₹/unit, hours a day (domain.md)
CATEGORIES = [
    ("LMV-1", Decimal("0.60"), 1, 5, Decimal("6.5"), 18),
    ("LMV-2", Decimal("0.18"), 1, 10, Decimal("9.0"), 20),
    ("LMV-5", Decimal("0.04"), 3, 10, Decimal("2.0"), 10),
    ("LMV-6", Decimal("0.06"), 5, 50, Decimal("8.0"), 10),
    ("NC", Decimal("0.12"), 1, 3, Decimal("6.5"), 18),
]
# Compounding fee (Section 152): fee for ≤ 1 kW, rate per kW above (kW rounded up).
COMPOUNDING = {
    "LMV-1": (2000, 4000), "LMV-2": (5000, 10000), "LMV-5": (2000, 2000),
    "LMV-6": (20000, 20000), "NC": (4000, 4000),
}
THEFT_TYPES = ["direct", "bypass", "tampering", "unauthorised_use", "other"]
DEPOSITS = [0, 0, 0, 1000, 2500, 5000]
# Registration status, share of the registrations.
REGISTRATION_MIX = [
    (RegistrationStatus.SUBMITTED, Decimal("0.10")),
    (RegistrationStatus.FEE_PAID, Decimal("0.30")),
    (RegistrationStatus.VERIFIED, Decimal("0.25")),
    (RegistrationStatus.SETTLED, Decimal("0.25")),
    (RegistrationStatus.LAPSED, Decimal("0.10")),
]
MOBILE_SHARE = 0.75
FIR_SHARE = 0.60
ACTION_TAKEN_SHARE = 0.05  # of unregistered cases: flagged and a notice served
FLAGGED_SHARE = 0.15  # of unregistered cases: flagged, action item open
REMINDED_SHARE = 0.20  # of unregistered cases: a reminder SMS in phase 1
COUNTER_SHARE = 0.15  # of payments: paid at the counter (cash)
# Sub-division index = floor(count × r ** SKEW): earlier units get more cases.
SUB_DIVISION_SKEW = 1.4
FIRST_NAMES = ["राम", "श्याम", "मोहन", "सुरेश", "रमेश", "अनिल", "सुनीता", "गीता",
               "मोहम्मद", "अब्दुल", "राजेश", "पूजा", "विनोद", "कमला", "इरफ़ान", "सलमा"]
LAST_NAMES = ["कुमार", "यादव", "वर्मा", "शुक्ला", "त्रिपाठी", "सिंह", "खान", "गुप्ता",
              "मिश्रा", "श्रीवास्तव", "अंसारी", "रावत"]


class BenchInputError(ValueError):
    """Bad arguments for the generator."""


@dataclass(frozen=True)
class Setup:
    scheme: Scheme
    phases: list[Phase]
    sub_division_ids: list[int]
    officer_id: int
    today: dt.date
    first_serial: int

    @property
    def registration_days(self) -> tuple[dt.date, int]:
        """Return the first registration day and how many days are open so far."""
        start = self.phases[0].starts_on
        end = min(self.phases[-1].ends_on, self.today)
        return start, max(1, (end - start).days + 1)


def prepare(*, scheme_code: str, today: dt.date | None = None) -> Setup:
    """Make sure the org tree, schemes and demo users exist; return the setup."""
    today = today or today_ist()
    if not OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION).exists():
        org_tree_load(rows=read_tree_file(TREE_FILE))
    demo.ensure_schemes(today)
    demo.ensure_users()
    scheme = Scheme.objects.filter(code=scheme_code).first()
    if scheme is None:
        raise BenchInputError(f"unknown scheme {scheme_code!r}")
    phases = list(scheme.phases.order_by("number"))
    if not phases:
        raise BenchInputError(f"scheme {scheme_code!r} has no phases")
    sub_divisions = list(
        OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION)
        .order_by("path").values_list("id", flat=True)
    )
    officer = get_user_model().objects.get(username="director")
    from theft_cases.models import TheftCase

    first_serial = TheftCase.objects.filter(case_number__startswith=CASE_PREFIX).count() + 1
    return Setup(scheme=scheme, phases=phases, sub_division_ids=sub_divisions,
                 officer_id=officer.pk, today=today, first_serial=first_serial)


def generate(*, cases: int, registrations: int, seed: int, scheme_code: str,
             today: dt.date | None = None) -> dict:
    """Add ``cases`` synthetic cases and ``registrations`` registrations; return counts."""
    if cases < 0 or registrations < 0:
        raise BenchInputError("--cases and --registrations must not be negative")
    if registrations > cases:
        raise BenchInputError("--registrations cannot exceed --cases")
    started = time.monotonic()
    setup = prepare(scheme_code=scheme_code, today=today)
    if connection.vendor == "postgresql":
        from bench import benchdata_pg

        counts = benchdata_pg.generate(setup, cases=cases, registrations=registrations,
                                       seed=seed)
    else:
        counts = _generate_python(setup, cases=cases, registrations=registrations, seed=seed)
    return {
        **counts,
        "scheme": setup.scheme.code,
        "first_case_number": f"{CASE_PREFIX}{setup.first_serial:07d}",
        "backend": connection.vendor,
        "seconds": round(time.monotonic() - started, 2),
    }


# --- quote (DESIGN §4.2) for the Python writer -------------------------------------

_RULES: dict[int, object] = {}  # the engine's rules per scheme, read once per run


def frozen_quote(scheme: Scheme, phase: Phase, *, assessment: Decimal,
                 compounding_fee: Decimal, deposited: Decimal) -> dict:
    """The engine's quote (ots_scheme.settlement) as the registration's fields."""
    rules = _RULES.get(scheme.pk) or _RULES.setdefault(scheme.pk, rules_for(scheme))
    quote = quote_in_phase(rules, phase_rule(phase), assessment=assessment,
                           compounding_fee=compounding_fee, deposited=deposited)
    return {
        "phase": phase, "phase_number": phase.number,
        "payable_percent": quote.payable_percent, "assessment": quote.assessment,
        "assessment_payable": quote.assessment_payable, "waiver": quote.waiver,
        "compounding_fee": quote.compounding_fee, "deposited": quote.deposited,
        "total_payable": quote.total_payable, "registration_fee": quote.registration_fee,
        "balance": quote.balance,
    }


def _pick(rng: random.Random, mix) -> object:
    r = Decimal(str(rng.random()))
    for value, share, *_ in mix:
        if r < share:
            return value
        r -= share
    return mix[-1][0]


def _case_fields(rng: random.Random, setup: Setup, serial: int) -> tuple[dict, dict]:
    category = _pick(rng, CATEGORIES)
    _, _, lo, hi, tariff, hours = next(c for c in CATEGORIES if c[0] == category)
    load = Decimal(lo) + Decimal(rng.randint(0, (hi - lo) * 2)) / 2
    detected = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    earliest = detected + dt.timedelta(days=35)
    fed_on = earliest + dt.timedelta(days=rng.randint(0, max(0, (setup.today - earliest).days)))
    units = load * hours * rng.randint(90, 365) * Decimal("0.5")
    count = len(setup.sub_division_ids)
    sd_index = min(count - 1, int(count * rng.random() ** SUB_DIVISION_SKEW))
    consumer = {
        "name": f"{FIRST_NAMES[serial % 16]} {LAST_NAMES[(serial // 16) % 12]}",
        "address": f"{serial}/1, Lucknow",
        "mobile": f"9{serial % 10**9:09d}" if rng.random() < MOBILE_SHARE else "",
        "account_number": "" if category == "NC" else f"{serial:010d}",
    }
    case = {
        "case_number": f"{CASE_PREFIX}{serial:07d}",
        "detection_date": detected,
        "sub_division_id": setup.sub_division_ids[sd_index],
        "category": category,
        "theft_type": "direct" if category == "NC" else rng.choice(THEFT_TYPES),
        "load_kw": load,
        "fir_number": f"{serial % 999 + 1}/2023" if rng.random() < FIR_SHARE else "",
        "assessment_amount": round_rupees(units * tariff * 2),
        "compounding_fee": suggest_compounding_fee(category, load)
        or Decimal(4000) * max(1, int(load)),
        "deposited_amount": Decimal(rng.choice(DEPOSITS)),
        "fed_at": dt.datetime.combine(fed_on, dt.time(11, rng.randint(0, 59)), tzinfo=IST),
    }
    return consumer, case


@transaction.atomic
def _generate_python(setup: Setup, *, cases: int, registrations: int, seed: int) -> dict:
    """Write the synthetic rows with chunked bulk_create (any backend, small N)."""
    from defaulters.models import ActionItem, ActionRecord, Reminder
    from payments.models import Payment
    from theft_cases.models import Consumer, TheftCase

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    start, days = setup.registration_days
    registered = set(rng.sample(range(cases), registrations))
    counts = {"cases": 0, "registrations": 0, "payments": 0, "action_items": 0,
              "action_records": 0, "reminders": 0}
    by_status: dict[str, int] = {}
    chunk = 2000
    for offset in range(0, cases, chunk):
        plan = []
        for i in range(offset, min(cases, offset + chunk)):
            serial = setup.first_serial + i
            consumer, case = _case_fields(rng, setup, serial)
            status = _pick(rng, REGISTRATION_MIX) if i in registered else None
            reg_day = start + dt.timedelta(days=int(days * rng.random() ** 1.5))
            plan.append((consumer, case, status, reg_day, rng.random(), rng.random()))
        consumers = Consumer.objects.bulk_create([Consumer(**p[0]) for p in plan])
        case_rows = []
        for person, (_, case, status, _day, r_flag, _r) in zip(consumers, plan, strict=True):
            case["status"] = _case_status(status, r_flag)
            if case["status"] in ("flagged", "action_taken"):
                case["flagged_at"] = case["fed_at"] + dt.timedelta(days=16)
            case_rows.append(TheftCase(consumer=person, **case))
        case_rows = TheftCase.objects.bulk_create(case_rows)
        regs, items, reminders = [], [], []
        for theft_case, (_, _, status, reg_day, r_flag, r_pay) in zip(
                case_rows, plan, strict=True):
            if status is not None:
                regs.append((_registration(setup, theft_case, status, reg_day), r_pay))
                by_status[status] = by_status.get(status, 0) + 1
            if theft_case.status in ("flagged", "action_taken"):
                reason = "lapsed" if status == RegistrationStatus.LAPSED else "unregistered"
                items.append(ActionItem(
                    case=theft_case, scheme=setup.scheme,
                    sub_division_id=theft_case.sub_division_id, reason=reason,
                    status="in_progress" if theft_case.status == "action_taken" else "open",
                    due_date=ist_day(theft_case.flagged_at) + dt.timedelta(days=15),
                ))
            if status is None and r_flag > 1 - REMINDED_SHARE:
                reminders.append(Reminder(case=theft_case, phase=setup.phases[0],
                                          days_before=7))
        Registration.objects.bulk_create([r for r, _ in regs])
        # created_at is auto_now_add: put it back on the registration day.
        new_regs = Registration.objects.filter(pk__in=[r.pk for r, _ in regs])
        new_regs.filter(fee_paid_at__isnull=False).update(
            created_at=F("fee_paid_at") - dt.timedelta(hours=1))
        new_regs.filter(fee_paid_at__isnull=True).update(
            created_at=F("expires_at") - dt.timedelta(hours=48))
        payments = []
        for reg, r_pay in regs:
            payments.extend(_payments(reg, r_pay))
        Payment.objects.bulk_create(payments)
        Payment.objects.filter(pk__in=[p.pk for p in payments]).update(created_at=F("paid_at"))
        _credit(payments)
        items = ActionItem.objects.bulk_create(items)
        ActionRecord.objects.bulk_create([
            ActionRecord(item=item, kind="notice", officer_id=setup.officer_id,
                         done_on=item.due_date - dt.timedelta(days=10),
                         remarks="Notice served at the premises")
            for item in items if item.status == "in_progress"
        ])
        Reminder.objects.bulk_create(reminders)
        counts["cases"] += len(case_rows)
        counts["registrations"] += len(regs)
        counts["payments"] += len(payments)
        counts["action_items"] += len(items)
        counts["action_records"] += sum(1 for item in items if item.status == "in_progress")
        counts["reminders"] += len(reminders)
    counts["consumers"] = counts["cases"]
    counts["registrations_by_status"] = by_status
    return counts


def ist_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(IST).date()


def _case_status(registration_status: str | None, r_flag: float) -> str:
    """Return the case status that goes with its registration (DESIGN §4.3)."""
    if registration_status == RegistrationStatus.SETTLED:
        return "settled"
    if registration_status in (RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED):
        return "registered"
    if registration_status == RegistrationStatus.LAPSED:
        return "flagged"
    if r_flag < ACTION_TAKEN_SHARE:
        return "action_taken"
    if r_flag < ACTION_TAKEN_SHARE + FLAGGED_SHARE:
        return "flagged"
    return "fed"


def _registration(setup: Setup, case, status: str, reg_day: dt.date) -> Registration:
    created = dt.datetime.combine(reg_day, dt.time(10, 0), tzinfo=IST)
    reg = Registration(
        registration_number=f"BG{case.case_number[len(CASE_PREFIX):]}",
        case=case, scheme=setup.scheme, sub_division_id=case.sub_division_id,
        status=status, applicant_name=case.consumer.name, address=case.consumer.address,
        mobile=case.consumer.mobile or "9000000000", declaration_accepted=True,
        created_at=created,
    )
    if status == RegistrationStatus.SUBMITTED:
        reg.expires_at = created + dt.timedelta(hours=48)
        return reg
    phase = next((p for p in setup.phases if p.starts_on <= reg_day <= p.ends_on),
                 setup.phases[-1])
    for field, value in frozen_quote(
        setup.scheme, phase, assessment=case.assessment_amount,
        compounding_fee=case.compounding_fee, deposited=case.deposited_amount,
    ).items():
        setattr(reg, field, value)
    reg.balance_due_date = phase.ends_on
    reg.quoted_on = reg_day
    reg.fee_paid_at = reg.frozen_at = created + dt.timedelta(hours=1)
    if status in (RegistrationStatus.VERIFIED, RegistrationStatus.SETTLED):
        reg.verified_at = created + dt.timedelta(days=2)
    if status == RegistrationStatus.SETTLED:
        reg.settled_at = min(created + dt.timedelta(days=5),
                             dt.datetime.combine(phase.ends_on, dt.time(18, 0), tzinfo=IST))
    if status == RegistrationStatus.LAPSED:
        reg.lapsed_at = dt.datetime.combine(
            phase.ends_on + dt.timedelta(days=1), dt.time(1, 0), tzinfo=IST)
    return reg


def _credit(payments: list) -> None:
    """Write the money ledger for the generated payments (DESIGN §4.2a)."""
    from payments.models import LedgerEntry

    LedgerEntry.objects.bulk_create([
        LedgerEntry(kind="credit", payment=p, registration_id=p.registration_id,
                    sub_division_id=p.sub_division_id, amount=p.amount,
                    reference=p.gateway_reference)
        for p in payments
    ])
    credited: dict[int, Decimal] = {}
    for p in payments:
        credited[p.registration_id] = credited.get(p.registration_id, Decimal(0)) + p.amount
    rows = list(Registration.objects.filter(pk__in=list(credited)))
    for reg in rows:
        reg.credited = credited[reg.pk]
        reg.balance = (Decimal(0) if reg.status == RegistrationStatus.SETTLED
                       else max(Decimal(0), reg.total_payable - reg.credited))
    Registration.objects.bulk_update(rows, ["credited", "balance"], batch_size=1000)


def _payments(reg: Registration, r_pay: float) -> list:
    from payments.models import Payment

    if reg.fee_paid_at is None:
        return []
    mode = "cash" if r_pay < COUNTER_SHARE else "online"
    made = [Payment(
        order_id=f"{reg.registration_number}-F", registration=reg,
        sub_division_id=reg.sub_division_id, purpose="registration_fee",
        amount=reg.registration_fee, status="success", mode=mode,
        gateway="" if mode == "cash" else "sandbox", paid_at=reg.fee_paid_at,
        gateway_reference="" if mode == "cash" else f"{reg.registration_number}-F",
    )]
    if reg.settled_at is not None and reg.balance > 0:
        made.append(Payment(
            order_id=f"{reg.registration_number}-B", registration=reg,
            sub_division_id=reg.sub_division_id, purpose="balance",
            amount=reg.balance, status="success", mode=mode,
            gateway="" if mode == "cash" else "sandbox", paid_at=reg.settled_at,
            gateway_reference="" if mode == "cash" else f"{reg.registration_number}-B",
        ))
    return made
