"""The dashboard's figures, each defined once (issue 7).

Two layers, one definition:

* ``live_*`` functions compute every figure per sub-division straight from the
  case, registration and payment tables (set-based ``GROUP BY``). Only the
  refresh task (``dashboard.services.summary_refresh``) and the bench baseline
  call them.
* ``unit_figures`` and friends read the summary rows the refresh wrote and add
  them up over the user's jurisdiction, so the headline, the funnel, the
  child-unit table and the charts are sums of the same rows: the total row
  equals the headline by construction.

What is counted (scheme S, "in scope" = the case's / registration's /
payment's sub-division is in the unit):

on_portal        every theft case fed onto the portal.
assessed         Σ assessment of the cases on the portal.
eligible         cases on the portal detected inside S's eligibility window
                 (``eligible_from`` … ``eligible_to``) and not settled under
                 another scheme (DESIGN §4.1 "not already settled"). Eligibility
                 is judged on fed cases only: the portal cannot count cases
                 nobody fed, which is what the "fed" figures are for.
reminded         eligible cases with a reminder SMS in a phase of S or a notice
                 served (ActionRecord kind "notice" on an action item of S).
applied          cases with any registration in S except rejected/expired
                 (submitted, fee paid, verified, settled or lapsed).
started          registrations of S submitted but not yet fee-paid.
registered       registrations of S with the fee paid and alive: fee_paid,
                 verified or settled (at most one per case by constraint).
fee_paid         … of which still ``fee_paid`` (awaiting verification).
verified         … of which ``verified`` (balance not yet paid).
settled          … of which ``settled``.
lapsed           registrations of S that lapsed (balance unpaid by deadline).
realised         Σ successful payments (online and counter, fee and balance)
                 of registrations of S, from the payment ledger.
waiver           Σ frozen waiver of the registered (fee_paid/verified/settled).
outstanding      for registered cases not settled: the frozen balance; for
                 eligible cases without a registered registration: the full
                 dues max(0, assessment − deposited) + compounding fee, less
                 the registration fee of a lapsed registration (it stays
                 credited, domain.md); settled cases owe nothing.
flagged          eligible cases whose status is flagged or action taken.
actions_taken    action records (notice, call, disconnection, RC, FIR …) on
                 action items of S.
fed_last_7_days  cases on the portal fed on one of the last 7 IST days
                 (today included).
without_mobile   cases on the portal whose consumer has no mobile.
without_fir      cases on the portal without an FIR number.
without_account  cases on the portal without an account number, excluding
                 direct theft without a connection (category NC has none).
awaiting_verification  registrations still ``fee_paid`` more than 3 days
                 after the fee was paid.
by_phase         registered, by the phase frozen on the registration.
Per day (IST): registrations = fees paid that day (later lapsed ones too);
realised = successful payments that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import IST, today_ist
from dashboard.models import DailySummary, SummaryRefresh, UnitSummary
from defaulters.models import ActionRecord, Reminder
from organization.models import OrgUnit, UnitKind
from organization.scoping import visible_to
from ots_scheme.models import Registration, RegistrationStatus, Scheme
from ots_scheme.queries import open_scheme
from payments.models import Payment, PaymentStatus
from theft_cases.models import CaseStatus, TheftCase

REGISTERED = [RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED,
              RegistrationStatus.SETTLED]
APPLIED = [RegistrationStatus.SUBMITTED, *REGISTERED, RegistrationStatus.LAPSED]
AWAITING_DAYS = 3
ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
MONEY_FIGURES = ("assessed", "realised", "waiver", "outstanding")


@dataclass
class Figures:
    """The figures of one unit (or the sum of several)."""

    on_portal: int = 0
    assessed: Decimal = ZERO
    eligible: int = 0
    reminded: int = 0
    applied: int = 0
    started: int = 0
    registered: int = 0
    fee_paid: int = 0
    verified: int = 0
    settled: int = 0
    lapsed: int = 0
    realised: Decimal = ZERO
    waiver: Decimal = ZERO
    outstanding: Decimal = ZERO
    flagged: int = 0
    actions_taken: int = 0
    fed_last_7_days: int = 0
    without_mobile: int = 0
    without_fir: int = 0
    without_account: int = 0
    awaiting_verification: int = 0
    by_phase: dict = field(default_factory=dict)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "by_phase"]

    def add(self, other: Figures) -> Figures:
        for name in self.names():
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for phase, count in other.by_phase.items():
            self.by_phase[str(phase)] = self.by_phase.get(str(phase), 0) + count
        return self

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.names()} | {
            "by_phase": dict(self.by_phase)}

    @property
    def registered_percent(self) -> Decimal | None:
        return percent(self.registered, self.eligible)


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- live figures (the definitions) -------------------------------------------------


def _case_figures(scheme: Scheme, today: dt.date) -> dict[int, dict]:
    settled_elsewhere = Registration.objects.filter(
        case=OuterRef("pk"), status=RegistrationStatus.SETTLED).exclude(scheme=scheme)
    registered_here = Registration.objects.filter(
        case=OuterRef("pk"), scheme=scheme, status__in=REGISTERED)
    lapsed_here = Registration.objects.filter(
        case=OuterRef("pk"), scheme=scheme, status=RegistrationStatus.LAPSED)
    reminded = Reminder.objects.filter(case=OuterRef("pk"), phase__scheme=scheme)
    noticed = ActionRecord.objects.filter(
        item__case=OuterRef("pk"), item__scheme=scheme, kind="notice")
    week_start = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(0), tzinfo=IST)
    eligible = Q(detection_date__gte=scheme.eligible_from,
                 detection_date__lte=scheme.eligible_to, settled_elsewhere=False)
    unregistered = eligible & Q(registered_here=False)
    dues = Greatest(F("assessment_amount") - F("deposited_amount"), Value(ZERO),
                    output_field=MONEY_FIELD) + F("compounding_fee")
    rows = (
        TheftCase.objects
        .annotate(settled_elsewhere=Exists(settled_elsewhere),
                  registered_here=Exists(registered_here),
                  lapsed_here=Exists(lapsed_here),
                  reminded=Exists(reminded), noticed=Exists(noticed))
        .values("sub_division")
        .annotate(
            on_portal=Count("id"),
            assessed=Sum("assessment_amount"),
            eligible=Count("id", filter=eligible),
            reminded_count=Count("id", filter=eligible & (Q(reminded=True)
                                                         | Q(noticed=True))),
            unregistered_dues=Sum(dues, filter=unregistered, output_field=MONEY_FIELD),
            flagged=Count("id", filter=eligible & Q(
                status__in=[CaseStatus.FLAGGED, CaseStatus.ACTION_TAKEN])),
            fed_last_7_days=Count("id", filter=Q(fed_at__gte=week_start)),
            without_mobile=Count("id", filter=Q(consumer__mobile="")),
            without_fir=Count("id", filter=Q(fir_number="")),
            without_account=Count("id", filter=Q(consumer__account_number="")
                                  & ~Q(category="NC")),
        )
        .order_by()
    )
    return {row.pop("sub_division"): row for row in rows}


def _registration_figures(scheme: Scheme, now: dt.datetime) -> dict[int, dict]:
    case_registered = Registration.objects.filter(
        case=OuterRef("case"), scheme=scheme, status__in=REGISTERED)
    rows = (
        Registration.objects.filter(scheme=scheme)
        .annotate(case_registered=Exists(case_registered))
        .values("sub_division")
        .annotate(
            applied=Count("case", distinct=True, filter=Q(status__in=APPLIED)),
            started=Count("id", filter=Q(status=RegistrationStatus.SUBMITTED)),
            registered=Count("id", filter=Q(status__in=REGISTERED)),
            fee_paid=Count("id", filter=Q(status=RegistrationStatus.FEE_PAID)),
            verified=Count("id", filter=Q(status=RegistrationStatus.VERIFIED)),
            settled=Count("id", filter=Q(status=RegistrationStatus.SETTLED)),
            lapsed=Count("id", filter=Q(status=RegistrationStatus.LAPSED)),
            waiver=Sum("waiver", filter=Q(status__in=REGISTERED)),
            balance_due=Sum("balance", filter=Q(status__in=[
                RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED])),
            lapsed_credit=Sum("registration_fee", filter=Q(
                status=RegistrationStatus.LAPSED, case_registered=False)),
            awaiting_verification=Count("id", filter=Q(
                status=RegistrationStatus.FEE_PAID,
                fee_paid_at__lt=now - dt.timedelta(days=AWAITING_DAYS))),
        )
        .order_by()
    )
    return {row.pop("sub_division"): row for row in rows}


def _phase_figures(scheme: Scheme) -> dict[int, dict]:
    rows = (
        Registration.objects.filter(scheme=scheme, status__in=REGISTERED)
        .values("sub_division", "phase_number").annotate(n=Count("id")).order_by()
    )
    result: dict[int, dict] = {}
    for row in rows:
        key = str(row["phase_number"] or 0)
        result.setdefault(row["sub_division"], {})[key] = row["n"]
    return result


def _payment_figures(scheme: Scheme) -> dict[int, Decimal]:
    rows = (
        Payment.objects.filter(status=PaymentStatus.SUCCESS, registration__scheme=scheme)
        .values("sub_division").annotate(total=Sum("amount")).order_by()
    )
    return {row["sub_division"]: row["total"] for row in rows}


def _action_figures(scheme: Scheme) -> dict[int, int]:
    rows = (
        ActionRecord.objects.filter(item__scheme=scheme)
        .values("item__sub_division").annotate(n=Count("id")).order_by()
    )
    return {row["item__sub_division"]: row["n"] for row in rows}


def live_figures_by_sub_division(scheme: Scheme, *, now: dt.datetime | None = None
                                 ) -> dict[int, Figures]:
    """Compute every figure of ``scheme`` per sub-division from the live tables."""
    now = now or timezone.now()
    today = now.astimezone(IST).date()
    cases = _case_figures(scheme, today)
    regs = _registration_figures(scheme, now)
    phases = _phase_figures(scheme)
    paid = _payment_figures(scheme)
    actions = _action_figures(scheme)
    result = {}
    for sd_id in set(cases) | set(regs) | set(paid) | set(actions):
        c, r = cases.get(sd_id, {}), regs.get(sd_id, {})
        outstanding = ((c.get("unregistered_dues") or ZERO)
                       - (r.get("lapsed_credit") or ZERO) + (r.get("balance_due") or ZERO))
        result[sd_id] = Figures(
            on_portal=c.get("on_portal", 0), assessed=c.get("assessed") or ZERO,
            eligible=c.get("eligible", 0), reminded=c.get("reminded_count", 0),
            applied=r.get("applied", 0), started=r.get("started", 0),
            registered=r.get("registered", 0), fee_paid=r.get("fee_paid", 0),
            verified=r.get("verified", 0), settled=r.get("settled", 0),
            lapsed=r.get("lapsed", 0), realised=paid.get(sd_id) or ZERO,
            waiver=r.get("waiver") or ZERO, outstanding=outstanding,
            flagged=c.get("flagged", 0), actions_taken=actions.get(sd_id, 0),
            fed_last_7_days=c.get("fed_last_7_days", 0),
            without_mobile=c.get("without_mobile", 0),
            without_fir=c.get("without_fir", 0),
            without_account=c.get("without_account", 0),
            awaiting_verification=r.get("awaiting_verification", 0),
            by_phase=phases.get(sd_id, {}),
        )
    return result


def live_daily_by_sub_division(scheme: Scheme) -> dict[tuple[int, dt.date], dict]:
    """Return {(sub-division, IST day): {registrations, realised}} from live tables."""
    result: dict[tuple[int, dt.date], dict] = {}
    fees = (
        Registration.objects.filter(scheme=scheme, fee_paid_at__isnull=False)
        .annotate(day=TruncDate("fee_paid_at", tzinfo=IST))
        .values("sub_division", "day").annotate(n=Count("id")).order_by()
    )
    for row in fees:
        result.setdefault((row["sub_division"], row["day"]), {
            "registrations": 0, "realised": ZERO})["registrations"] = row["n"]
    money = (
        Payment.objects.filter(status=PaymentStatus.SUCCESS, registration__scheme=scheme,
                               paid_at__isnull=False)
        .annotate(day=TruncDate("paid_at", tzinfo=IST))
        .values("sub_division", "day").annotate(total=Sum("amount")).order_by()
    )
    for row in money:
        result.setdefault((row["sub_division"], row["day"]), {
            "registrations": 0, "realised": ZERO})["realised"] = row["total"]
    return result


# --- reads of the summary (what pages use) ------------------------------------------


def default_scheme(today: dt.date | None = None) -> Scheme | None:
    """The open scheme (real before demo), else OTS-THEFT-23, else any active one."""
    scheme = open_scheme(today or today_ist())
    if scheme is None:
        scheme = (Scheme.objects.filter(code="OTS-THEFT-23").first()
                  or Scheme.objects.filter(is_active=True).order_by("is_demo", "code").first())
    return scheme


def selectable_schemes():
    return Scheme.objects.filter(is_active=True).order_by("is_demo", "code")


def freshness(scheme: Scheme) -> SummaryRefresh | None:
    return SummaryRefresh.objects.filter(scheme=scheme).first()


def _summaries(*, user, scheme: Scheme, unit: OrgUnit):
    rows = UnitSummary.objects.filter(scheme=scheme, sub_division__path__startswith=unit.path)
    if user is not None:
        rows = visible_to(user, rows)
    return rows.select_related("sub_division")


def _figures_of(row: UnitSummary) -> Figures:
    return Figures(**{name: getattr(row, name) for name in Figures.names()},
                   by_phase=dict(row.by_phase))


def child_units(unit: OrgUnit) -> list[OrgUnit]:
    """The units one level below ``unit`` (a sub-division lists itself)."""
    if unit.kind == UnitKind.SUB_DIVISION:
        return [unit]
    return list(OrgUnit.objects.filter(parent=unit).order_by("path"))


def _segment(path: str, depth: int) -> str:
    parts = path.strip("/").split("/")
    return parts[depth] if depth < len(parts) else ""


def unit_figures(*, user, scheme: Scheme, unit: OrgUnit) -> tuple[Figures, list[dict]]:
    """Return the unit's headline figures and one row per child unit.

    Every row is a sum of sub-division summaries and the headline is the sum
    of the same summaries, so the total row equals the headline.
    """
    children = child_units(unit)
    depth = children[0].depth if children else unit.depth
    by_code = {child.code: {"unit": child, "figures": Figures()} for child in children}
    headline = Figures()
    for row in _summaries(user=user, scheme=scheme, unit=unit):
        figures = _figures_of(row)
        headline.add(figures)
        child = by_code.get(_segment(row.sub_division.path, depth))
        if child is not None:
            child["figures"].add(figures)
    return headline, list(by_code.values())


def divisions(*, user, scheme: Scheme, unit: OrgUnit) -> list[dict]:
    """Return the divisions inside ``unit`` with their summed figures."""
    depth = 3  # discom 0 > zone 1 > circle 2 > division 3
    found: dict[str, Figures] = {}
    for row in _summaries(user=user, scheme=scheme, unit=unit):
        code = _segment(row.sub_division.path, depth)
        found.setdefault(code, Figures()).add(_figures_of(row))
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=found)}
    return [{"unit": units[code], "figures": figs}
            for code, figs in found.items() if code in units]


def top_divisions(rows: list[dict], *, key: str, limit: int = 10) -> list[dict]:
    return sorted(rows, key=lambda r: getattr(r["figures"], key), reverse=True)[:limit]


FUNNEL = [
    ("on_portal", _("On the portal")),
    ("eligible", _("Eligible")),
    ("reminded", _("Reminded / noticed")),
    ("applied", _("Applied")),
    ("registered", _("Registered (fee paid)")),
    ("verified_or_settled", _("Verified")),
    ("settled", _("Settled")),
]


def funnel(figures: Figures) -> list[dict]:
    """Return the uptake funnel: each step's count, % of eligible and step conversion."""
    values = {
        **figures.as_dict(), "verified_or_settled": figures.verified + figures.settled,
    }
    steps, previous = [], None
    for key, label in FUNNEL:
        count = values[key]
        steps.append({
            "key": key, "label": label, "count": count,
            "of_eligible": percent(count, figures.eligible) if key != "on_portal" else None,
            "conversion": percent(count, previous) if previous is not None else None,
        })
        previous = count
    return steps


def daily_series(*, user, scheme: Scheme, unit: OrgUnit) -> list[dict]:
    """Registrations and rupees realised per IST day in ``unit`` (summed in the DB)."""
    rows = DailySummary.objects.filter(scheme=scheme, sub_division__path__startswith=unit.path)
    if user is not None:
        rows = visible_to(user, rows)
    return list(
        rows.values("day").annotate(registrations=Sum("registrations"),
                                    realised=Sum("realised")).order_by("day")
    )
