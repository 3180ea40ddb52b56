"""The set-based import on PostgreSQL writes what the ORM path writes (issue 18).

Each scenario runs through the bulk path (``theft_cases.bulk_apply``) and,
rolled back, through the ORM path (``theft_cases.orm_apply``) on the same
database: cases, consumers, history rows (type, user, reason, every field)
and outcomes must agree.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction

from core.dates import today_ist
from theft_cases import bulk_apply, importing, orm_apply
from theft_cases.models import Consumer, TheftCase
from theft_cases.services import import_from_path

from .importfiles import csv_bytes, good_row

# Every test twice: the rows parsed in a thread, then in a child process.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres,
              pytest.mark.usefixtures("parsed_in")]

TODAY = today_ist()
SKIP = {"id", "consumer", "fed_at", "updated_at", "created_at"}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the set-based path runs on PostgreSQL (runs in the PostgreSQL run)")


def run(rows, user, *, apply=True, reason="bulk import", chunk_size=importing.CHUNK_SIZE):
    with transaction.atomic():
        return importing.run_import(handle=io.BytesIO(csv_bytes(rows)), user=user,
                                    today=TODAY, apply=apply, change_reason=reason,
                                    chunk_size=chunk_size)


def fields_of(obj, model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
            if f.name not in SKIP}


def snapshot() -> dict:
    """Every case with its consumer and both histories, ids and clocks left out."""
    out = {}
    for case in TheftCase.objects.select_related("consumer").order_by("case_number"):
        out[case.case_number] = {
            "case": fields_of(case, TheftCase),
            "consumer": fields_of(case.consumer, Consumer),
            "case_history": [
                (h.history_type, h.history_user_id, h.history_change_reason,
                 fields_of(h.instance, TheftCase))
                for h in case.history.order_by("history_date", "history_id")],
            "consumer_history": [
                (h.history_type, h.history_user_id, h.history_change_reason,
                 fields_of(h.instance, Consumer))
                for h in case.consumer.history.order_by("history_date", "history_id")],
        }
    return out


def outcome_view(outcome) -> dict:
    numbers = dict(TheftCase.objects.values_list("pk", "case_number"))
    return {**outcome.counts(), "rejected_rows": outcome.rejected_rows,
            "money": [numbers[pk] for pk in outcome.changed_money_case_ids]}


def scenario(users) -> list[dict]:
    """Feed, re-import, correct, and refuse: the outcomes of each step."""
    je, other = users["je_aminabad"], users["je_chowk"]
    run([good_row(50, sub_division_code="victoria")], other)
    first = [good_row(1), good_row(2, mobile="0 9876500002", name="  Ram Kumar  "),
             good_row(3, mobile="12345"), good_row(1, name="copy"), good_row(4),
             good_row(5, load_kw="", fir_number="FIR/9", police_station="अमीनाबाद",
                      address="12\t\\B,\r\nअमीनाबाद \\N")]
    steps = [run(first, je, reason="import 1"), run(first, je, reason="import 2")]
    changed = [good_row(1, assessment_amount="99,000"),          # money
               good_row(2, mobile="9000000002", name="Ram Kumar"),  # person only
               good_row(5, fir_number="FIR/9", police_station="Chowk"),  # case, not money
               good_row(50),                                        # another unit's case
               {**good_row(6), "case_number": "lko/amn/2023/0004"},  # other capitals
               good_row(7, detection_date="01-01-2023")]
    steps.append(run(changed, je, reason="import 3"))
    return [outcome_view(o) for o in steps]


def test_bulk_and_orm_paths_write_the_same_rows_and_history(users, monkeypatch):
    assert importing.writer_class() is bulk_apply.BulkWriter
    with transaction.atomic():
        bulk_outcomes, bulk_rows = scenario(users), snapshot()
        transaction.set_rollback(True)
    monkeypatch.setattr(importing, "writer_class", lambda: orm_apply.OrmWriter)
    orm_outcomes, orm_rows = scenario(users), snapshot()
    assert bulk_outcomes == orm_outcomes
    assert bulk_rows == orm_rows
    assert bulk_outcomes[1]["unchanged"] == 4 and bulk_outcomes[1]["created"] == 0
    assert bulk_outcomes[2] == {
        "created": 1, "updated": 3, "unchanged": 0, "rejected": 2,
        "rejected_rows": [
            {"line": 5, "columns": ["case_number"], "codes": ["case_outside_jurisdiction"],
             "case_number": "LKO/AMN/2023/0050"},
            {"line": 6, "columns": ["case_number"], "codes": ["case_number_other_capitals"],
             "case_number": "lko/amn/2023/0004"}],
        "money": ["LKO/AMN/2023/0001"],
    }


def test_text_is_stored_as_given(users):
    address = "12\t\\B,\r\nअमीनाबाद \\N \"=1+1\""
    run([good_row(1, address=address, fir_number="\\")], users["je_aminabad"])
    case = TheftCase.objects.select_related("consumer").get()
    assert (case.consumer.address, case.fir_number) == (address, "\\")
    assert case.load_kw == Decimal("2.00") and case.consumer.email == ""


def test_history_rows_copy_the_row_with_the_importing_user(users):
    je = users["je_aminabad"]
    run([good_row(1), good_row(2)], je, reason="import 7")
    run([good_row(1, assessment_amount="50,000"), good_row(2, name="नया नाम")], je,
        reason="import 8")
    for case in TheftCase.objects.select_related("consumer"):
        history = list(case.history.order_by("history_id"))
        assert [(h.history_type, h.history_user_id, h.history_change_reason)
                for h in history] == [("+", je.pk, "import 7"), ("~", je.pk, "import 8")]
        latest = history[-1]
        for field in TheftCase._meta.concrete_fields:  # every field, ids and clocks too
            assert getattr(latest, field.attname) == getattr(case, field.attname), field.name
        assert case.fed_by == je
    two = TheftCase.objects.get(case_number="LKO/AMN/2023/0002").consumer
    person = list(two.history.order_by("history_id"))
    assert [h.history_type for h in person] == ["+", "~"]
    assert person[-1].name == "नया नाम" and person[-1].history_user_id == je.pk
    for field in Consumer._meta.concrete_fields:
        assert getattr(person[-1], field.attname) == getattr(two, field.attname), field.name
    # Only the case changed for 0001: its consumer has no second history row.
    one = TheftCase.objects.get(case_number="LKO/AMN/2023/0001")
    assert one.consumer.history.count() == 1
    assert one.assessment_amount == Decimal("50000.00")


def test_reimport_writes_nothing_and_takes_no_history(users):
    je = users["je_aminabad"]
    rows = [good_row(n) for n in range(1, 8)]
    run(rows, je)
    before = {c.pk: c.updated_at for c in TheftCase.objects.all()}
    counts = (TheftCase.history.count(), Consumer.history.count())
    again = run(rows, je, chunk_size=3)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 7, "rejected": 0}
    assert (TheftCase.history.count(), Consumer.history.count()) == counts == (7, 7)
    assert {c.pk: c.updated_at for c in TheftCase.objects.all()} == before
    assert again.changed_money_case_ids == []


def test_many_flushes_and_duplicates_across_chunks(users, monkeypatch):
    monkeypatch.setattr(bulk_apply, "FLUSH_ROWS", 3)
    je = users["je_aminabad"]
    rows = [good_row(n) for n in range(1, 9)] + [good_row(3, name="x"), good_row(9)]
    outcome = run(rows, je, chunk_size=2)
    assert outcome.counts() == {"created": 9, "updated": 0, "unchanged": 0, "rejected": 1}
    assert outcome.rejected_rows[0]["line"] == 10
    assert TheftCase.objects.count() == Consumer.objects.count() == 9
    assert TheftCase.history.count() == Consumer.history.count() == 9
    # Ids in line order, as the ORM hands them out.
    numbers = list(TheftCase.objects.order_by("pk").values_list("case_number", flat=True))
    assert numbers == sorted(numbers)
    assert TheftCase.objects.get(case_number="LKO/AMN/2023/0003").consumer.name == \
        "राम कुमार 3"


def test_dry_run_classifies_without_writing(users):
    je = users["je_aminabad"]
    run([good_row(1)], je)
    outcome = run([good_row(1, assessment_amount="1"), good_row(2), good_row(1)], je,
                  apply=False)
    assert outcome.counts() == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert TheftCase.objects.count() == 1 and TheftCase.history.count() == 1


def test_outside_jurisdiction_and_error_report_through_the_services(users, tmp_path):
    run([good_row(1, sub_division_code="victoria")], users["je_chowk"])
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, mobile="12345"), good_row(3),
                                good_row(4, sub_division_code="victoria")]))
    record = import_from_path(user=users["je_aminabad"], path=path)
    assert (record.created_count, record.rejected_count) == (1, 3)
    codes = {e["line"]: e["codes"] for e in record.rejected_rows}
    assert codes == {2: ["case_outside_jurisdiction"], 3: ["bad_mobile"],
                     5: ["outside_jurisdiction"]}
    report = record.error_report.read().decode("utf-8-sig").splitlines()
    assert len(report) == 4 and "outside your jurisdiction" in report[-1] + report[-2]
    assert TheftCase.objects.get(case_number="LKO/AMN/2023/0001").sub_division.code == \
        "victoria"
    three = TheftCase.objects.get(case_number="LKO/AMN/2023/0003")
    assert three.history.get().history_change_reason == f"import {record.pk}"
    assert three.detection_date == dt.date(2023, 6, 15)


def test_a_file_refused_mid_way_leaves_no_table_behind(users, monkeypatch, parsed_in):
    from theft_cases import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    with pytest.raises(importing.ImportFileError, match="too_many_rows"):
        importing.run_import(handle=io.BytesIO(csv_bytes([good_row(n) for n in range(5)])),
                             user=users["je_aminabad"], today=TODAY, apply=False,
                             chunk_size=2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
                       "AND relkind = 'r' AND relname LIKE 'import%%'")
        assert cursor.fetchone()[0] == 0


def test_a_csv_that_stops_being_utf8_is_refused_at_its_chunk(users, parsed_in):
    # Past the 64 KB the upload's first look reads, a line in another encoding.
    good = csv_bytes([good_row(n) for n in range(1, 600)])
    assert len(good) > 64 * 1024
    broken = good + "LKO/AMN/2023/0999,15-06-2023,,Rāmé".encode("cp1252", errors="replace") + b"\n"
    with pytest.raises(importing.ImportFileError, match="not_utf8"), transaction.atomic():
        importing.run_import(handle=io.BytesIO(broken), user=users["je_aminabad"],
                             today=TODAY, apply=True, chunk_size=2)
    assert TheftCase.objects.count() == 0


def test_the_parsing_process_answers_as_the_parsing_here(users):
    """The child (``python -m theft_cases.parsing``) over real pipes, frame by frame."""
    import subprocess
    import sys

    from django.conf import settings

    from theft_cases import parsing
    from theft_cases.import_kept import sub_division_map

    rows = [good_row(1), good_row(2, mobile="12345", detection_date="31-02-2023"),
            good_row(3, sub_division_code="victoria"), good_row(4, sub_division_code="nowhere"),
            good_row(5, address="tab\there \\ and\nnewline"), good_row(6, load_kw="")]
    pairs = [(line, {k: v for k, v in row.items()}) for line, row in enumerate(rows, start=2)]
    units = sub_division_map()
    prefix = units["aminabad-1"][1]
    here = parsing.prepare(pairs, units=units, prefix=prefix, today=TODAY,
                           copy_text=parsing.copy_line)
    child = subprocess.Popen([sys.executable, "-m", "theft_cases.parsing"],
                             cwd=settings.BASE_DIR, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    parsing.write_frame(child.stdin, {"units": units, "prefix": prefix,
                                      "today": TODAY.isoformat(), "copy_text": True})
    parsing.write_frame(child.stdin, pairs[:4])
    parsing.write_frame(child.stdin, pairs[4:])
    child.stdin.close()
    answers = [parsing.read_frame(child.stdout), parsing.read_frame(child.stdout)]
    assert parsing.read_frame(child.stdout) is None and child.wait() == 0
    there = parsing.expand(pairs[:4], answers[0]) + parsing.expand(pairs[4:], answers[1])
    assert [p._replace(row=None) for p in here] == there
    assert [p.refusal for p in there] == [
        None, (["detection_date", "mobile"], ["bad_date", "bad_mobile"]),
        (["sub_division_code"], ["outside_jurisdiction"]),
        (["sub_division_code"], ["unknown_sub_division"]), None, None]
    assert "tab\\there \\\\ and\\nnewline" in there[4].copy_text
