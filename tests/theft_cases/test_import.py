"""Bulk import of division lists (DESIGN §5) through the real database."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.dates import today_ist
from theft_cases import importing
from theft_cases.models import CaseImport, Consumer, ImportStatus, TheftCase
from theft_cases.services import import_from_path

from .importfiles import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

TODAY = today_ist()
RECENT = (TODAY - dt.timedelta(days=3)).strftime("%d-%m-%Y")


def mixed_rows():
    return [
        good_row(1),
        good_row(2, mobile="0 9876500002", name="  Ram Kumar  "),
        good_row(3, mobile="12345"),                              # bad mobile
        good_row(4, detection_date=RECENT),                # too recent
        good_row(5, assessment_amount="-10"),                    # negative
        good_row(6, category="LMV-99", theft_type="katiya"),     # two errors
        good_row(1, name="दूसरी प्रति"),                          # duplicate of line 2
        good_row(7, sub_division_code="victoria"),               # another division
        good_row(8, sub_division_code="no-such-unit"),           # unknown unit
        good_row(9, detection_date="31/12/2023", name="=cmd|'/C calc'!A0"),
    ]


def run(data: bytes, user, *, apply=True):
    from django.db import transaction

    with transaction.atomic():
        return importing.run_import(handle=io.BytesIO(data), user=user, today=TODAY,
                                    apply=apply)


def reasons(outcome):
    return {(e["line"], tuple(e["codes"])) for e in outcome.rejected_rows}


def test_mixed_file_counts_and_reasons(users):
    outcome = run(csv_bytes(mixed_rows()), users["je_aminabad"])
    assert outcome.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 7}
    assert reasons(outcome) == {
        (4, ("bad_mobile",)),
        (5, ("too_recent",)),
        (6, ("negative_amount",)),
        (7, ("bad_category", "bad_theft_type")),
        (8, ("duplicate_in_file",)),
        (9, ("outside_jurisdiction",)),
        (10, ("unknown_sub_division",)),
    }
    assert TheftCase.objects.count() == 3
    two = TheftCase.objects.get(case_number="LKO/AMN/2023/0002")
    assert two.consumer.mobile == "9876500002"
    assert two.consumer.name == "Ram Kumar"
    assert two.assessment_amount == Decimal("123456.50")
    assert two.fed_by == users["je_aminabad"]
    nine = TheftCase.objects.get(case_number="LKO/AMN/2023/0009")
    assert nine.detection_date == dt.date(2023, 12, 31)
    assert nine.consumer.name == "=cmd|'/C calc'!A0"
    # The first copy of a repeated case number counts.
    assert TheftCase.objects.get(case_number="LKO/AMN/2023/0001").consumer.name == "राम कुमार 1"
    assert TheftCase.history.count() == 3 and Consumer.history.count() == 3


def test_reimport_is_unchanged_and_edit_is_updated(users):
    user = users["je_aminabad"]
    data = csv_bytes(mixed_rows())
    run(data, user)
    again = run(data, user)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 7}
    assert TheftCase.history.count() == 3
    rows = mixed_rows()
    rows[0] = good_row(1, assessment_amount="99,000")
    rows[1] = good_row(2, mobile="9000000002", name="Ram Kumar")
    changed = run(csv_bytes(rows), user)
    assert changed.counts() == {"created": 0, "updated": 2, "unchanged": 1, "rejected": 7}
    one = TheftCase.objects.get(case_number="LKO/AMN/2023/0001")
    assert one.assessment_amount == Decimal("99000.00")
    assert one.history.count() == 2
    latest, before = one.history.all()[:2]
    assert latest.history_user == user
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("assessment_amount", Decimal("123456.50"), Decimal("99000.00"))
    ]
    two = TheftCase.objects.get(case_number="LKO/AMN/2023/0002")
    assert two.consumer.mobile == "9000000002"
    assert two.consumer.history.count() == 2


def test_dry_run_writes_nothing(users, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(mixed_rows()))
    out = io.StringIO()
    call_command("import_cases", str(path), "--as", "je_aminabad", "--dry-run", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["created"] == 3 and payload["rejected"] == 7
    assert TheftCase.objects.count() == 0 and Consumer.objects.count() == 0
    assert CaseImport.objects.count() == 0
    assert {"line": 8, "column": "case_number",
            "reason": "case number repeated in this file (the first copy counts)"} \
        in payload["rejected_rows"]


def test_command_imports_and_keeps_the_file(users, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_bytes(mixed_rows(), date_cells=True))
    out = io.StringIO()
    call_command("import_cases", str(path), "--as", "je_aminabad", stdout=out)
    payload = json.loads(out.getvalue())
    assert {k: payload[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3, "updated": 0, "unchanged": 0, "rejected": 7}
    record = CaseImport.objects.get()
    assert record.status == ImportStatus.APPLIED
    assert record.uploaded_by == users["je_aminabad"]
    assert record.file.read().startswith(b"PK")
    report = record.error_report.read().decode("utf-8-sig")
    assert report.splitlines()[0].startswith("line,column,reason,case_number")
    assert "mobile must be 10 digits" in report
    assert len(report.strip().splitlines()) == 8


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x00\x01\x02binary", "not a CSV"),
        (b"case_number,name\nX,Y\n", "Required columns missing"),
        (b"", "empty"),
        ("case_number,detection_date\n".encode("utf-16"), "not a CSV"),
    ],
)
def test_command_refuses_bad_files(users, tmp_path, content, needle):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_cases", str(path), "--as", "je_aminabad", stdout=out)
    assert exit_info.value.code == 2
    assert needle in json.loads(out.getvalue())["error"]
    assert CaseImport.objects.count() == 0 and TheftCase.objects.count() == 0


def test_command_unknown_user(users, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([good_row(1)]))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_cases", str(path), "--as", "nobody", stdout=out)
    assert "error" in json.loads(out.getvalue())
    assert TheftCase.objects.count() == 0


def test_csv_and_xlsx_agree(users):
    rows = mixed_rows()
    from_csv = run(csv_bytes(rows, bom=False, blank_lines=True), users["je_aminabad"],
                   apply=False)
    from_xlsx = run(xlsx_bytes(rows), users["je_aminabad"], apply=False)
    assert from_csv.counts() == from_xlsx.counts()
    assert {tuple(e["codes"]) for e in from_csv.rejected_rows} == \
        {tuple(e["codes"]) for e in from_xlsx.rejected_rows}
    dated = run(xlsx_bytes(rows, date_cells=True), users["je_aminabad"], apply=False)
    assert dated.counts() == from_xlsx.counts()


def test_existing_case_of_another_unit_is_rejected(users):
    run(csv_bytes([good_row(1, sub_division_code="victoria")]), users["je_chowk"])
    outcome = run(csv_bytes([good_row(1)]), users["je_aminabad"])
    assert reasons(outcome) == {(2, ("case_outside_jurisdiction",))}
    assert TheftCase.objects.get().sub_division.code == "victoria"


def test_refused_file_via_services_leaves_no_trace(users, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,address\nx,y\n")
    with pytest.raises(importing.ImportFileError):
        import_from_path(user=users["je_aminabad"], path=path)
    assert CaseImport.objects.count() == 0


def test_duplicates_across_chunks(users):
    from django.db import transaction

    rows = [good_row(1), good_row(2), good_row(3), good_row(1, name="x"), good_row(2),
            good_row(4), good_row(4)]
    with transaction.atomic():
        outcome = importing.run_import(handle=io.BytesIO(csv_bytes(rows)),
                                       user=users["je_aminabad"], today=TODAY, apply=True,
                                       chunk_size=2)
    assert outcome.counts() == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 3}
    assert sorted(e["line"] for e in outcome.rejected_rows) == [5, 6, 8]
    assert TheftCase.objects.get(case_number="LKO/AMN/2023/0001").consumer.name == "राम कुमार 1"


def test_chunks_parsed_beside_the_database_keep_the_file_order(users):
    """The next chunk is parsed while this one is checked: outcomes and the
    report still follow the file, line by line, and a duplicate of a row
    refused for another reason counts as a duplicate."""
    from django.db import transaction

    rows = [good_row(n) for n in range(1, 8)]
    rows[2] = good_row(3, mobile="12345")        # line 4: bad mobile
    rows.append(good_row(3))                     # line 9: repeats line 4
    rows.append(good_row(9, category="LMV-99"))  # line 10: bad category
    report = io.StringIO()
    with transaction.atomic():
        outcome = importing.run_import(
            handle=io.BytesIO(csv_bytes(rows)), user=users["je_aminabad"], today=TODAY,
            apply=True, chunk_size=2, report_stream=report)
    assert outcome.counts() == {"created": 6, "updated": 0, "unchanged": 0, "rejected": 3}
    assert [(e["line"], e["codes"]) for e in outcome.rejected_rows] == [
        (4, ["bad_mobile"]), (9, ["duplicate_in_file"]), (10, ["bad_category"])]
    lines = report.getvalue().splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["4", "9", "10"]
    assert TheftCase.objects.filter(case_number__startswith="LKO/AMN/2023/").count() == 6


def test_a_refusal_met_in_a_later_chunk_undoes_the_file_and_stops_the_parsing(
        users, monkeypatch):
    """A file found too long only at its sixth row (met by the parsing
    thread, chunks ahead): the import is refused, the rows before are not
    written, and no parsing thread is left behind nor the interpreter's
    switch interval changed."""
    import sys
    import threading

    from django.db import transaction

    from theft_cases import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 5)
    data = csv_bytes([good_row(n) for n in range(1, 9)])
    interval, threads = sys.getswitchinterval(), threading.active_count()
    with pytest.raises(importing.ImportFileError) as refused:
        with transaction.atomic():
            importing.run_import(handle=io.BytesIO(data), user=users["je_aminabad"],
                                 today=TODAY, apply=True, chunk_size=2)
    assert refused.value.code == "too_many_rows"
    assert not TheftCase.objects.exists()
    assert sys.getswitchinterval() == interval
    assert threading.active_count() == threads


def test_error_report_keeps_the_original_row_in_hindi(users, tmp_path):
    from django.utils import translation

    from theft_cases.services import import_from_path

    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([good_row(1, mobile="12345", name="सीता देवी")]))
    record = import_from_path(user=users["je_aminabad"], path=path, language="hi")
    report = record.error_report.read().decode("utf-8-sig")
    assert "सीता देवी" in report and "12345" in report
    assert "मोबाइल 10 अंकों का हो" in report
    with translation.override("en"):
        assert importing.describe_rejection(record.rejected_rows[0])["reason"] == \
            "mobile must be 10 digits starting with 6, 7, 8 or 9"


def test_changed_assessment_requotes_unfrozen_registration(users, schemes,
                                                           django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.factories import RegistrationFactory

    user = users["je_aminabad"]
    run(csv_bytes([good_row(1)]), user)
    case = TheftCase.objects.get()
    registration = RegistrationFactory(case=case, scheme=schemes["DEMO-OTS-THEFT"])
    from theft_cases.services import queue_quote_recompute

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outcome = importing.run_import(
                handle=io.BytesIO(csv_bytes([good_row(1, assessment_amount="50,000")])),
                user=user, today=TODAY, apply=True)
            assert outcome.changed_money_case_ids == [case.pk]
            assert queue_quote_recompute(outcome.changed_money_case_ids) == 1
    registration.refresh_from_db()
    assert registration.assessment == Decimal("50000.00")
    assert registration.total_payable == Decimal("33000.00")  # 50 % + ₹8,000 compounding



def test_row_total_counts_what_the_import_processes(users):
    """The progress bar's total ("n of N rows") is the number of rows validated."""
    from theft_cases.import_files import count_rows

    from .importfiles import COLUMNS

    columns = [COLUMNS[0], "", *COLUMNS[1:], "note"]
    rows = [*mixed_rows(), {"note": "a named extra column counts"},
            {"": "a cell under no column name does not"}, {}]
    csv_text = csv_bytes(rows, columns=columns, blank_lines=True).decode("utf-8")
    files = [(csv_text + "LKO/AMN/2023/0777\r\n").encode("utf-8"),  # a one-cell row
             xlsx_bytes(rows, columns=columns)]
    for data, expected in zip(files, [12, 11], strict=True):
        outcome = run(data, users["je_aminabad"], apply=False)
        assert count_rows(io.BytesIO(data)) == outcome.processed == expected
