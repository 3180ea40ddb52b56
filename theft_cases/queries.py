"""Reads of case feeding, shared by views, exports and the command.

Every read of cases starts from ``organization.scoping.visible_to`` so a
case of another unit is never seen (DESIGN §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from organization.scoping import visible_to
from theft_cases.models import CaseImport, TheftCase
from theft_cases.rows import COLUMNS

# Apps above theft_cases add their part of the staff case page (DESIGN §2):
# ``payments`` the case's registrations with their payments
# (``PaymentsConfig.ready``), ``defaulters`` the case's action items and their
# history (``DefaultersConfig.ready``).
_CASE_PAGE_PARTS: dict[str, tuple[Callable[[TheftCase], None],
                                  Callable[[TheftCase], list[HistoryEntry]] | None]] = {}


def on_case_page(name: str, *, detail: Callable[[TheftCase], None],
                 history: Callable[[TheftCase], list[HistoryEntry]] | None = None) -> None:
    """Register ``detail(case)`` (sets what the page shows) and, if any, ``history(case)``."""
    _CASE_PAGE_PARTS[name] = (detail, history)


def cases_visible_to(user) -> QuerySet:
    return visible_to(user, TheftCase.objects.all())


def case_list(user) -> QuerySet:
    """Return the user's cases with what the list page shows."""
    return cases_visible_to(user).select_related("consumer", "sub_division")


def case_totals(queryset: QuerySet) -> dict:
    """Return ``{"count", "assessed"}`` of a filtered set in one aggregate query."""
    totals = queryset.order_by().aggregate(count=Count("pk"), assessed=Sum("assessment_amount"))
    return {"count": totals["count"] or 0, "assessed": totals["assessed"] or 0}


def case_for_staff(user, case_number: str) -> TheftCase:
    """Return the case if it is in the user's jurisdiction, else 404."""
    return get_object_or_404(
        cases_visible_to(user).select_related("consumer", "sub_division", "fed_by"),
        case_number=case_number,
    )


def case_detail(user, case_number: str) -> TheftCase:
    """Return a case with what the apps above add (registrations, payments, items)."""
    case = case_for_staff(user, case_number)
    for detail, _history in _CASE_PAGE_PARTS.values():
        detail(case)
    return case


@dataclass(frozen=True)
class HistoryEntry:
    what: str
    when: object
    who: object
    kind: str
    reason: str
    changes: list[tuple[str, object, object]]


# simple_history's own words for a record's kind have no Hindi: say them here.
HISTORY_KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Change reasons the services write in English (kept so in the database),
# shown in the reader's language.
HISTORY_REASONS = (
    gettext_noop("settlement frozen at fee payment"),
    gettext_noop("quote recomputed"),
    gettext_noop("expired unpaid after 48 h"),
)


def history_reason(reason: str) -> str:
    """Return a stored change reason in the active language when it is a known one."""
    return gettext(reason) if reason in HISTORY_REASONS else reason


def history_entries(history: QuerySet, what: str) -> list[HistoryEntry]:
    """Return the entries of one object's historical records, oldest first."""
    records = list(history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at"])
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((str(field.verbose_name), change.old, change.new))
        entries.append(HistoryEntry(
            what=what, when=record.history_date, who=record.history_user,
            kind=str(HISTORY_KINDS.get(record.history_type, record.get_history_type_display())),
            reason=history_reason(record.history_change_reason or ""),
            changes=changes,
        ))
        previous = record
    return entries


def case_history(case: TheftCase) -> list[HistoryEntry]:
    """Return the changes of the case, its consumer and its action items, newest first.

    A flag raised by the nightly sweep and its clearing are recorded on the
    action item (set-based: no case row per flag at 10⁶ cases), so the
    case's history shows them from there (DESIGN §4.4): the items' entries
    come from ``defaulters`` through :func:`on_case_page`.
    """
    entries = history_entries(case.history.all(), "case") + history_entries(
        case.consumer.history.all(), "consumer"
    )
    for _detail, history in _CASE_PAGE_PARTS.values():
        if history is not None:
            entries += history(case)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def possible_duplicates(*, case_number: str, account_number: str, name: str,
                        address: str) -> QuerySet:
    """Return other cases with the same account number, or the same name and address."""
    match = Q(consumer__name__iexact=name.strip(), consumer__address__iexact=address.strip())
    if account_number:
        match |= Q(consumer__account_number=account_number)
    return (
        TheftCase.objects.filter(match).exclude(case_number=case_number)
        .select_related("sub_division").order_by("case_number")[:10]
    )


def imports_visible_to(user) -> QuerySet:
    """Return the imports uploaded by officers inside the user's jurisdiction.

    Only the uploader confirms or cancels one (``theft_cases.services``).
    """
    return visible_to(user, CaseImport.objects.select_related("uploaded_by"),
                      field="uploaded_by__staff_profile__unit")


def import_for_staff(user, pk: int) -> CaseImport:
    return get_object_or_404(imports_visible_to(user), pk=pk)


EXPORT_HEADER = [*COLUMNS, "status", "fed_at"]


def export_rows(queryset: QuerySet):
    """Yield the cases as rows of the import columns (so an export re-imports)."""
    for case in queryset.select_related("consumer", "sub_division").iterator(chunk_size=2000):
        consumer = case.consumer
        yield [
            case.case_number, case.detection_date.strftime("%d-%m-%Y"),
            consumer.account_number, consumer.name, consumer.father_or_husband_name,
            consumer.address, consumer.mobile, case.sub_division.code, case.category,
            case.theft_type, case.load_kw if case.load_kw is not None else "",
            case.fir_number, case.police_station, case.assessment_amount,
            case.compounding_fee, case.deposited_amount, case.status,
            case.fed_at.date().isoformat(),
        ]
