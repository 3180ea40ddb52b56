"""The ledger feed: gap-free, commit-ordered numbers; postings exactly once."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections

from payments.feed_models import LedgerPosting
from payments.ledger_feed import ledger_sequence_assign
from payments.models import LedgerEntry, PaymentMode, PaymentPurpose
from tests.api.ledger import credit, refund


def read_all(caller, after=0, limit=500):
    entries = []
    while True:
        page = caller.get("/api/v1/ledger/", {"after": after, "limit": limit}).json()
        entries += page["results"]
        after = page["next_after"]
        if not page["has_more"]:
            return entries, after


@pytest.mark.django_db
def test_feed_lists_credits_and_refunds_numbered_without_gaps(registration_in, aminabad):
    first = registration_in()
    fee = credit(first, "12346.00")
    counter = credit(first, "53382.00", purpose=PaymentPurpose.BALANCE, mode=PaymentMode.CASH)
    refund(counter, "1000.00", reference="NEFT-REFUND-9")
    entries, last = read_all(aminabad, limit=2)
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert last == 3
    assert [(e["kind"], e["purpose"], e["channel"], e["amount"]) for e in entries] == [
        ("credit", "registration_fee", "online", "12346.00"),
        ("credit", "balance", "counter", "53382.00"),
        ("refund", "balance", "counter", "1000.00"),
    ]
    assert entries[0]["bank_reference"] == fee.payment.gateway_reference
    assert entries[1]["bank_reference"] == counter.payment.receipt_number
    assert entries[2]["bank_reference"] == "NEFT-REFUND-9"
    assert entries[0]["registration_number"] == first.registration_number
    assert entries[0]["case_number"] == first.case.case_number
    assert entries[0]["account_number"] == first.case.consumer.account_number
    assert entries[0]["posting_reference"] == "" and entries[0]["posted_at"] is None
    # Nothing new: the next read from the end is empty.
    assert read_all(aminabad, after=last) == ([], 3)


@pytest.mark.django_db
def test_sequencer_numbers_in_id_order_and_only_once(registration_in):
    registration = registration_in()
    for _ in range(5):
        credit(registration, "100.00")
    assert ledger_sequence_assign(batch_size=2) == 5
    assert ledger_sequence_assign() == 0
    numbered = list(LedgerEntry.objects.order_by("id").values_list("seq", flat=True))
    assert numbered == [1, 2, 3, 4, 5]
    credit(registration, "100.00")
    assert ledger_sequence_assign() == 1
    assert LedgerEntry.objects.order_by("-id").first().seq == 6


@pytest.mark.django_db
def test_posting_twice_with_the_same_reference_is_harmless_another_is_409(registration_in,
                                                                         aminabad, chowk):
    entry = credit(registration_in())
    ledger_sequence_assign()
    entry.refresh_from_db()
    path = f"/api/v1/ledger/{entry.seq}/posting/"
    first = aminabad.post(path, json.dumps({"reference": "RMS/2026/000123"}))
    assert first.status_code == 201
    assert first.json()["created"] is True
    again = aminabad.post(path, json.dumps({"reference": "RMS/2026/000123"}))
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["posted_at"] == first.json()["posted_at"]
    other = aminabad.post(path, json.dumps({"reference": "RMS/2026/999999"}))
    assert other.status_code == 409
    assert other.json()["code"] == "posting_conflict"
    assert LedgerPosting.objects.get().reference == "RMS/2026/000123"
    assert LedgerPosting.objects.get().posted_by == aminabad.api_client.service_user
    # Another unit's client cannot post (or see) it; an unknown number is 404.
    assert chowk.post(path, json.dumps({"reference": "X"})).status_code == 404
    assert aminabad.post("/api/v1/ledger/999/posting/",
                         json.dumps({"reference": "X"})).status_code == 404
    entries, _ = read_all(aminabad)
    assert entries[0]["posting_reference"] == "RMS/2026/000123"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_entry_that_commits_late_is_never_skipped(registration_in, aminabad):
    """Two credits commit out of order: A writes first (lower id), B commits first."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (runs in the PostgreSQL run)")
    slow_registration, quick_registration = registration_in(), registration_in()
    a_written, b_read = threading.Event(), threading.Event()
    written: dict[str, LedgerEntry] = {}
    failures: list[BaseException] = []

    def hold(entry):
        written["a"] = entry
        a_written.set()
        assert b_read.wait(timeout=60)

    def slow():
        try:
            credit(slow_registration, "111.00", before_commit=hold)
        except BaseException as exc:  # reported in the test thread
            failures.append(exc)
            a_written.set()
        finally:
            connections.close_all()

    def quick():
        try:
            written["b"] = credit(quick_registration, "222.00")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    thread_a = threading.Thread(target=slow)
    thread_a.start()
    assert a_written.wait(timeout=60)
    thread_b = threading.Thread(target=quick)
    thread_b.start()
    thread_b.join(timeout=60)
    try:
        assert not failures
        assert written["a"].pk < written["b"].pk  # A wrote first
        seen, after = read_all(aminabad)  # B has committed, A not yet
        assert [e["amount"] for e in seen] == ["222.00"]
    finally:
        b_read.set()
        thread_a.join(timeout=60)
    assert not failures
    later, after = read_all(aminabad, after=after)
    assert [e["amount"] for e in later] == ["111.00"]
    numbers = [e["seq"] for e in seen + later]
    assert numbers == [1, 2]
