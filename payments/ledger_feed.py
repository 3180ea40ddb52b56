"""The money ledger as a feed for the billing system (DESIGN §8).

Billing pulls every ledger entry (credits and refunds) exactly once by paging
``seq > after`` and confirms each with a posting reference.

How ``LedgerEntry.seq`` is given. A number taken when an entry is written
(an id, a database sequence, a timestamp) is not commit-ordered: a payment
whose transaction writes its entry first and commits last would appear below
a number a reader has already paged past, and be skipped for ever. So an
entry is written with no number, and :func:`ledger_sequence_assign` numbers
entries only once they have committed: holding the single
:class:`~payments.feed_models.LedgerSequence` row locked (``SELECT … FOR
UPDATE``), it reads the committed entries that have no number yet, numbers
them in id order from the counter onward, and commits numbers and counter
together. Runs never overlap (the lock), a run sees every entry committed
before it started, and its numbers become visible in one commit, so a reader
can only ever see a number above every number it has already seen: nothing
that commits late is skipped, and the sequence has no gaps.

It runs where numbers are read (the API's ledger endpoint runs it first) and
once a minute from beat, so it depends on nobody who writes entries
(payments, counter receipts, refunds) remembering to call it. A counter row
rather than an advisory lock keeps the same code correct on SQLite, where the
first write takes the database's lock.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from common.language import active_language
from organization.models import OrgUnit
from payments.feed_models import LedgerPosting, LedgerSequence
from payments.models import LedgerEntry

BATCH_SIZE = 5000
# DESIGN §8: entries billing has not confirmed 24 h after they were recorded
# show on the Director's dashboard.
UNPOSTED_AFTER = dt.timedelta(hours=24)


class PostingConflict(Exception):
    """The entry was already posted under another billing reference."""

    def __init__(self, posting: LedgerPosting):
        super().__init__(posting.reference)
        self.posting = posting


def _locked_counter() -> LedgerSequence:
    if not LedgerSequence.objects.filter(pk=1).exists():
        # First run (or a flushed test database): start above any number
        # already given, so a lost counter row can never repeat one.
        start = LedgerEntry.objects.aggregate(top=Max("seq"))["top"] or 0
        LedgerSequence.objects.get_or_create(pk=1, defaults={"last_seq": start})
    return LedgerSequence.objects.select_for_update().get(pk=1)


def _number(ids: list[int], first: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE payments_ledgerentry AS e SET seq = %s + n.ord - 1 "
                "FROM unnest(%s::bigint[]) WITH ORDINALITY AS n(id, ord) WHERE e.id = n.id",
                [first, ids],
            )
        return
    entries = [LedgerEntry(pk=pk, seq=first + offset) for offset, pk in enumerate(ids)]
    LedgerEntry.objects.bulk_update(entries, ["seq"], batch_size=1000)


def _assign_batch(batch_size: int) -> int:
    with transaction.atomic():
        counter = _locked_counter()
        # A new statement after the lock: it sees every entry committed so
        # far, including the numbers of a run that held the lock before.
        ids = list(
            LedgerEntry.objects.filter(seq__isnull=True)
            .order_by("id").values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return 0
        _number(ids, counter.last_seq + 1)
        counter.last_seq += len(ids)
        counter.save(update_fields=["last_seq", "updated_at"])
    return len(ids)


def ledger_sequence_assign(*, batch_size: int = BATCH_SIZE) -> int:
    """Number every committed ledger entry that has no sequence number yet.

    Returns how many were numbered. Cheap when there is nothing to do: no
    lock is taken unless an entry is waiting.
    """
    # Call it outside any transaction: inside one, its numbers would show only
    # at the caller's commit, perhaps after a later run's.
    numbered = 0
    while LedgerEntry.objects.filter(seq__isnull=True).exists():
        done = _assign_batch(batch_size)
        numbered += done
        if done < batch_size:
            break
    return numbered


def feed_entries(entries: QuerySet, *, after: int, limit: int) -> list[dict]:
    """Return up to ``limit`` numbered entries above ``after``, in sequence order.

    ``entries`` comes from the caller's scoping gate (``visible_in``).
    """
    rows = (
        entries.filter(seq__gt=after).order_by("seq").values_list(
            "seq", "kind", "payment__purpose", "payment__mode",
            "registration__registration_number", "registration__case__case_number",
            "registration__case__consumer__account_number", "sub_division_id", "amount",
            "reference", "payment__gateway_reference", "payment__receipt_number",
            "created_at", "posting__reference", "posting__posted_at",
        )[:limit]
    )
    # Codes from a dict, not a join: the page stays a scan of the seq index.
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    return [
        {
            "seq": seq, "kind": kind, "purpose": purpose,
            "channel": "online" if mode == "online" else "counter", "mode": mode,
            "registration_number": registration, "case_number": case,
            "account_number": account, "sub_division_code": codes.get(unit, ""),
            "amount": amount,
            "bank_reference": reference or gateway_reference or receipt_number,
            "recorded_at": created_at, "posting_reference": posting or "",
            "posted_at": posted_at,
        }
        for (seq, kind, purpose, mode, registration, case, account, unit, amount, reference,
             gateway_reference, receipt_number, created_at, posting, posted_at) in rows
    ]


@transaction.atomic
def ledger_posting_record(*, entries: QuerySet, seq: int, reference: str,
                          user) -> tuple[LedgerPosting, bool]:
    """Record that billing posted entry ``seq`` under ``reference``.

    Idempotent: the same reference again returns the stored posting
    (``created`` False). Another reference raises :class:`PostingConflict`;
    a number outside ``entries`` (the caller's scoping gate) raises
    ``LedgerEntry.DoesNotExist``.
    """
    # Lock only the entry, not the joined unit rows of the scoping filter.
    entry = entries.select_for_update(of=("self",)).get(seq=seq)
    posting = LedgerPosting.objects.filter(entry=entry).first()
    if posting is not None:
        if posting.reference != reference:
            raise PostingConflict(posting)
        return posting, False
    posting = LedgerPosting(entry=entry, reference=reference, posted_by=user)
    posting._history_user = user
    posting.save()
    return posting, True


def unposted_entries(entries: QuerySet, *, now: dt.datetime | None = None) -> QuerySet:
    """Entries (from the caller's scoping gate) billing has not posted in 24 h."""
    cutoff = (now or timezone.now()) - UNPOSTED_AFTER
    return entries.filter(created_at__lte=cutoff, posting__isnull=True)


def ledger_version() -> str:
    """A stamp that changes with every new entry or posting (both tables only grow).

    The newest row of each by primary key (two index lookups), with its time,
    so a database rebuilt with the same ids does not repeat a stamp.
    """
    last = LedgerEntry.objects.order_by("-id").values_list("id", "created_at").first()
    posted = LedgerPosting.objects.order_by("-id").values_list("id", "posted_at").first()
    return "|".join(f"{row[0]}@{row[1].timestamp()}" if row else "0" for row in (last, posted))


def unposted_by_division(entries: QuerySet, *, now: dt.datetime | None = None) -> list[dict]:
    """Count and sum the unposted entries per division (credits minus refunds apart)."""
    rows = (
        unposted_entries(entries, now=now)
        .values("sub_division__parent__code", "sub_division__parent__name_en",
                "sub_division__parent__name_hi", "kind")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("sub_division__parent__code", "kind")
    )
    english = active_language() == "en"
    divisions: dict[str, dict] = {}
    for row in rows:
        code = row["sub_division__parent__code"]
        division = divisions.setdefault(code, {
            "code": code,
            "name": row["sub_division__parent__name_en"] if english
            else row["sub_division__parent__name_hi"],
            "credits": 0, "credited": 0, "refunds": 0, "refunded": 0,
        })
        if row["kind"] == "credit":
            division["credits"], division["credited"] = row["count"], row["amount"]
        else:
            division["refunds"], division["refunded"] = row["count"], row["amount"]
    return sorted(divisions.values(), key=lambda d: (-(d["credits"] + d["refunds"]), d["code"]))
