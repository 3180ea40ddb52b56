"""Cases in and out: the import's validator, idempotent ingest, history, the change feed."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from theft_cases.models import TheftCase

pytestmark = pytest.mark.django_db


def row(number="LKO/AMN/2023/0123", **fields):
    return {
        "case_number": number, "detection_date": "15-06-2023",
        "account_number": "1234567890", "name": "राम कुमार",
        "father_or_husband_name": "श्याम लाल", "address": "12, अमीनाबाद, लखनऊ",
        "mobile": "+91 98765 43210", "sub_division_code": "aminabad-1", "category": "LMV-1",
        "theft_type": "bypass", "load_kw": "2.5", "fir_number": "", "police_station": "",
        "assessment_amount": "1,23,456", "compounding_fee": "4000", "deposited_amount": "0",
        **fields,
    }


def ingest(caller, rows, *, dry_run=False):
    path = "/api/v1/cases/?dry_run=1" if dry_run else "/api/v1/cases/"
    response = caller.post(path, json.dumps({"rows": rows}))
    assert response.status_code == 200, response.content
    return response.json()


def test_same_batch_twice_is_unchanged(aminabad):
    batch = [row(f"LKO/AMN/2023/{n:04d}") for n in range(5)]
    first = ingest(aminabad, batch)
    assert first["counts"] == {"created": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [r["result"] for r in first["rows"]] == ["created"] * 5
    second = ingest(aminabad, batch)
    assert second["counts"] == {"created": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    case = TheftCase.objects.select_related("consumer").get(case_number="LKO/AMN/2023/0001")
    assert case.consumer.mobile == "9876543210"
    assert str(case.assessment_amount) == "123456.00"


def test_changes_are_updated_and_in_history_with_the_client_as_author(aminabad):
    ingest(aminabad, [row()])
    answer = ingest(aminabad, [row(assessment_amount="150000", name="राम कुमार वर्मा")])
    assert answer["rows"][0]["result"] == "updated"
    case = TheftCase.objects.get(case_number="LKO/AMN/2023/0123")
    service_user = aminabad.api_client.service_user
    authors = {h.history_user for h in case.history.all()}
    assert authors == {service_user}
    assert {h.history_user for h in case.consumer.history.all()} == {service_user}
    assert case.history.first().history_change_reason == "api billing-aminabad"
    assert case.fed_by == service_user


def test_dry_run_previews_and_writes_nothing(aminabad):
    answer = ingest(aminabad, [row(), row("LKO/AMN/2023/0124", mobile="123")], dry_run=True)
    assert answer["dry_run"] is True
    assert answer["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not TheftCase.objects.exists()


def test_rejections_name_the_field_and_reason(aminabad):
    rows = [
        row("A/1", mobile="12345"),
        row("A/2", assessment_amount="12 rupees", category="LMV-99"),
        row("A/3", sub_division_code="victoria"),  # Chowk: not this client's unit
        row("A/4", sub_division_code="nowhere"),
        row("A/5", colour="blue"),
        row("A/6", name=["not", "text"]),
        row("A/7", address="nul\x00byte"),
        "not an object",
        row("A/1"),  # the second copy of A/1 in one request
        row("A/8", detection_date=45000),
    ]
    answer = ingest(aminabad, rows)
    errors = {r["index"]: [(e["field"], e["code"]) for e in r["errors"]] for r in answer["rows"]}
    assert errors == {
        0: [("mobile", "bad_mobile")],
        1: [("category", "bad_category"), ("assessment_amount", "bad_amount")],
        2: [("sub_division_code", "outside_jurisdiction")],
        3: [("sub_division_code", "unknown_sub_division")],
        4: [("colour", "unknown_column")],
        5: [("name", "bad_value")],
        6: [("address", "bad_text")],
        7: [("_", "not_an_object")],
        8: [("case_number", "duplicate_in_file")],
        9: [("detection_date", "bad_value")],
    }
    assert answer["counts"]["rejected"] == 10
    first_error = answer["rows"][0]["errors"][0]
    assert first_error["message_en"].startswith("mobile must be 10 digits")
    assert first_error["message_hi"] != first_error["message_en"]
    assert not TheftCase.objects.exists()


def test_json_numbers_are_exact_amounts(aminabad):
    answer = ingest(aminabad, [row(assessment_amount=123456.5, compounding_fee=4000,
                                   account_number=1234567890)])
    assert answer["rows"][0]["result"] == "created"
    case = TheftCase.objects.get()
    assert str(case.assessment_amount) == "123456.50"
    assert case.consumer.account_number == "1234567890"


def test_an_existing_case_of_another_unit_is_rejected(aminabad, chowk):
    ingest(chowk, [row("CHK/1", sub_division_code="victoria")])
    answer = ingest(aminabad, [row("CHK/1")])
    assert answer["rows"][0]["errors"][0]["code"] == "case_outside_jurisdiction"
    assert TheftCase.objects.get(case_number="CHK/1").sub_division.code == "victoria"


def test_more_than_1000_rows_is_refused(aminabad):
    response = aminabad.post("/api/v1/cases/", json.dumps({"rows": [row()] * 1001}))
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows"
    response = aminabad.post("/api/v1/cases/", json.dumps({"rows": [], "extra": 1}))
    assert response.status_code == 400
    assert response.json()["fields"] == {"extra": ["Unknown field."]} or \
        list(response.json()["fields"]) == ["extra"]


def test_detail_takes_url_encoded_numbers_with_slashes_and_spaces(aminabad, chowk):
    ingest(aminabad, [row("LKO/AMN/2023 0123-A")])
    path = f"/api/v1/cases/{quote('LKO/AMN/2023 0123-A', safe='')}/"
    response = aminabad.get(path)
    assert response.status_code == 200
    case = response.json()
    assert case["case_number"] == "LKO/AMN/2023 0123-A"
    assert case["assessment_amount"] == "123456.00"
    assert case["load_kw"] == "2.50"
    assert case["sub_division_code"] == "aminabad-1"
    assert chowk.get(path).status_code == 404


def test_change_feed_pages_by_cursor_from_updated_since(aminabad):
    ingest(aminabad, [row(f"C/{n}") for n in range(7)])
    since = TheftCase.objects.order_by("updated_at").first().updated_at
    seen, cursor = [], None
    while True:
        params = {"updated_since": since.isoformat(), "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = aminabad.get("/api/v1/cases/", params).json()
        seen += [c["case_number"] for c in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(f"C/{n}" for n in range(7))
    assert len(seen) == 7
    # A later change comes after everything already read.
    ingest(aminabad, [row("C/3", name="बदला नाम")])
    later = TheftCase.objects.get(case_number="C/3").updated_at
    page = aminabad.get("/api/v1/cases/", {"updated_since": later.isoformat()}).json()
    assert [c["case_number"] for c in page["results"]] == ["C/3"]


def _read_feed(caller, **params):
    seen, cursor = [], None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = caller.get("/api/v1/cases/", query).json()
        seen += page["results"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_change_feed_shows_the_nightly_sweeps_flags(aminabad, chowk, schemes):
    """The sweep flags in bulk; a client reading the feed on from what it saw sees each flag."""
    import datetime as dt

    from core.dates import IST
    from defaulters.flagging import run_sweep
    from theft_cases.models import CaseStatus

    ingest(aminabad, [row(f"F/{n}") for n in range(3)])
    ingest(chowk, [row("F/CHK", sub_division_code="victoria")])
    TheftCase.objects.update(fed_at=dt.datetime(2025, 11, 1, 12, tzinfo=IST))
    read = _read_feed(aminabad, updated_since=TheftCase.objects.order_by(
        "updated_at").first().updated_at.isoformat())
    assert sorted(c["case_number"] for c in read) == ["F/0", "F/1", "F/2"]
    last_seen = max(c["updated_at"] for c in read)

    assert run_sweep(today=dt.date(2026, 1, 10))["flagged"] == 4
    changed = _read_feed(aminabad, updated_since=last_seen)
    # Every case again, now flagged (the one edited at last_seen also as it was
    # then, which is harmless: a client keeps the latest).
    latest = {c["case_number"]: c for c in changed}
    assert sorted(latest) == ["F/0", "F/1", "F/2"]
    assert all(c["status"] == CaseStatus.FLAGGED and c["updated_at"] > last_seen
               for c in latest.values())
    # Another unit's flag stays in its own feed.
    assert [c["case_number"] for c in _read_feed(chowk, updated_since=last_seen)] == ["F/CHK"]
    # An edit after the sweep comes after the flags.
    ingest(aminabad, [row("F/1", name="बदला नाम")])
    again = _read_feed(aminabad, updated_since=last_seen)
    assert again[-1]["case_number"] == "F/1" and again[-1]["name"] == "बदला नाम"
    assert again[-1]["status"] == CaseStatus.FLAGGED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clients_feeding_the_same_new_cases_at_once(org_tree, make_api_client):
    """One creates them; the other's batch runs again and finds them: no 500."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (runs in the PostgreSQL run)")
    first = make_api_client(name="rms-1")
    second = make_api_client(name="rms-2")
    body = json.dumps({"rows": [row(f"RACE/{n}") for n in range(50)]})
    barrier = threading.Barrier(2)
    answers = []

    def feed(token):
        try:
            barrier.wait(timeout=30)
            response = Client().post("/api/v1/cases/", body, content_type="application/json",
                                     HTTP_AUTHORIZATION=f"Bearer {token}")
            answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=feed, args=(c.token,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(status for status, _ in answers) == [200, 200]
    counts = sorted((a["counts"]["created"], a["counts"]["unchanged"]) for _, a in answers)
    assert counts == [(0, 50), (50, 0)]
    assert TheftCase.objects.filter(case_number__startswith="RACE/").count() == 50
