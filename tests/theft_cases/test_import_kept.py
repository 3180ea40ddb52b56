"""The preview keeps its rows; the apply writes them without reading the file (issue 18).

PostgreSQL only (``theft_cases.import_kept``). Each test goes through the
services a JE's upload goes through — validate (the preview), then apply —
and checks what the JE and the audit see: counts, rejected rows and their
reasons, the report, cases, history. When anything the kept rows were
checked against changed, the apply reads the file again and says so row by
row, exactly as it would without kept rows.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from organization.models import OrgUnit
from theft_cases import import_kept
from theft_cases.importing import reason_text
from theft_cases.models import CaseImport, Consumer, ImportStatus, TheftCase
from theft_cases.services import (
    import_apply,
    import_cancel,
    import_validate,
    resume_stalled_imports,
)

from .importfiles import csv_bytes, good_row

# Every test twice: the rows parsed in a thread, then in a child process.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres,
              pytest.mark.usefixtures("parsed_in")]

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("rows are kept on PostgreSQL (runs in the PostgreSQL run)")


def upload(user, rows) -> CaseImport:
    record = CaseImport(uploaded_by=user, original_name="list.csv",
                        status=ImportStatus.UPLOADED)
    record.file.save("list.csv", ContentFile(csv_bytes(rows)), save=False)
    record.save()
    return record


def preview(user, rows, *, today=TODAY, language="en") -> CaseImport:
    record = upload(user, rows)
    import_validate(case_import_id=record.pk, language=language, today=today)
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    return record


def apply(record, *, today=TODAY, language="en") -> CaseImport:
    CaseImport.objects.filter(pk=record.pk).update(status=ImportStatus.APPLYING)
    import_apply(case_import_id=record.pk, language=language, today=today)
    record.refresh_from_db()
    return record


def spoil_file(record) -> None:
    """Replace the stored upload with bytes no import accepts."""
    with record.file.open("wb") as handle:
        handle.write(b"\x00\x01 not a list")


def kept_tables() -> list[int]:
    return import_kept.kept_import_ids()


def report_lines(record) -> list[str]:
    record.error_report.open("rb")
    try:
        return record.error_report.read().decode("utf-8-sig").splitlines()
    finally:
        record.error_report.close()


def test_the_apply_writes_the_kept_rows_without_the_file(users):
    je = users["je_aminabad"]
    rows = [good_row(1), good_row(2, mobile="12345"), good_row(3), good_row(1, name="copy")]
    record = preview(je, rows)
    assert record.pk in kept_tables()
    spoil_file(record)  # the apply must not need it

    record = apply(record)

    assert record.status == ImportStatus.APPLIED
    assert (record.created_count, record.updated_count, record.unchanged_count,
            record.rejected_count, record.total_rows) == (2, 0, 0, 2, 4)
    assert {e["line"]: e["codes"] for e in record.rejected_rows} == {
        3: ["bad_mobile"], 5: ["duplicate_in_file"]}
    assert len(report_lines(record)) == 3  # the preview's report, header and two rows
    one = TheftCase.objects.get(case_number="LKO/AMN/2023/0001")
    assert one.consumer.name == "राम कुमार 1" and one.fed_by == je
    history = one.history.get()
    assert (history.history_type, history.history_user, history.history_change_reason) == \
        ("+", je, f"import {record.pk}")
    assert one.consumer.history.get().history_user == je
    assert record.pk not in kept_tables()


def test_kept_rows_and_the_file_write_the_same(users):
    """The same file, applied from kept rows and (kept rows gone) from the file."""
    je = users["je_aminabad"]
    rows = [good_row(n, address=f"{n}\t\\B,\r\nअमीनाबाद \\N") for n in range(1, 6)]
    kept = apply(preview(je, rows))
    from_kept = {c.case_number: (c.consumer.address, c.assessment_amount, c.detection_date)
                 for c in TheftCase.objects.select_related("consumer")}

    TheftCase.objects.all().delete()
    Consumer.objects.all().delete()
    record = preview(je, rows)
    import_kept.drop(record.pk)
    again = apply(record)
    from_file = {c.case_number: (c.consumer.address, c.assessment_amount, c.detection_date)
                 for c in TheftCase.objects.select_related("consumer")}
    assert from_kept == from_file and len(from_file) == 5
    assert (kept.created_count, again.created_count) == (5, 5)


def test_a_change_since_the_preview_is_classified_at_apply_time(users):
    je = users["je_aminabad"]
    apply(preview(je, [good_row(1), good_row(2)]))
    record = preview(je, [good_row(1), good_row(2), good_row(3)])
    assert (record.created_count, record.unchanged_count) == (1, 2)
    # Someone corrects case 2 between the preview and the confirmation.
    TheftCase.objects.filter(case_number="LKO/AMN/2023/0002").update(
        category="LMV-2")
    spoil_file(record)

    record = apply(record)

    assert (record.created_count, record.updated_count, record.unchanged_count) == (1, 1, 1)
    two = TheftCase.objects.get(case_number="LKO/AMN/2023/0002")
    assert two.category == "LMV-1"
    assert two.history.order_by("-history_id").first().history_change_reason == \
        f"import {record.pk}"


def test_a_case_moved_out_of_reach_is_refused_from_the_file(users):
    je = users["je_aminabad"]
    apply(preview(je, [good_row(1)]))
    record = preview(je, [good_row(1, name="new name"), good_row(2)])
    assert record.updated_count == 1
    victoria = OrgUnit.objects.get(code="victoria")
    TheftCase.objects.filter(case_number="LKO/AMN/2023/0001").update(sub_division=victoria)

    record = apply(record)

    assert (record.created_count, record.updated_count, record.rejected_count) == (1, 0, 1)
    assert record.rejected_rows[0]["codes"] == ["case_outside_jurisdiction"]
    assert "outside your jurisdiction" in report_lines(record)[-1]
    assert TheftCase.objects.get(case_number="LKO/AMN/2023/0001").consumer.name == \
        "राम कुमार 1"


def test_another_day_reads_the_file_again(users):
    """A row too recent at the preview may be fed on a later day."""
    je = users["je_aminabad"]
    recent = (TODAY - dt.timedelta(days=10)).strftime("%d-%m-%Y")
    record = preview(je, [good_row(1), good_row(2, detection_date=recent)])
    assert record.rejected_rows[0]["codes"] == ["too_recent"]

    record = apply(record, today=TODAY + dt.timedelta(days=40))

    assert (record.created_count, record.rejected_count) == (2, 0)
    assert not record.error_report


def test_rows_lost_by_a_crash_are_read_again(users):
    je = users["je_aminabad"]
    record = preview(je, [good_row(1), good_row(2)])
    with connection.cursor() as cursor:  # what a crash does to an unlogged table
        cursor.execute(f"TRUNCATE {import_kept.table_name(record.pk)}")

    record = apply(record)

    assert record.created_count == 2 and TheftCase.objects.count() == 2


def test_the_report_follows_the_language_of_the_apply(users):
    je = users["je_aminabad"]
    record = preview(je, [good_row(1), good_row(2, mobile="12345")], language="en")
    assert "mobile must be 10 digits" in report_lines(record)[-1]

    record = apply(record, language="hi")

    assert record.created_count == 1
    with override("hi"):
        hindi = reason_text("bad_mobile")
    with override("en"):
        assert hindi != reason_text("bad_mobile")
    assert hindi in report_lines(record)[-1]


def test_cancel_new_validation_and_the_stale_job_drop_kept_rows(users):
    je = users["je_aminabad"]
    cancelled = preview(je, [good_row(1)])
    import_cancel(user=je, case_import_id=cancelled.pk)
    assert cancelled.pk not in kept_tables()

    waiting = preview(je, [good_row(2)])
    import_validate(case_import_id=waiting.pk, language="en", today=TODAY)  # no-op: previewed
    CaseImport.objects.filter(pk=waiting.pk).update(status=ImportStatus.VALIDATING)
    import_validate(case_import_id=waiting.pk, language="en", today=TODAY)
    assert kept_tables() == [waiting.pk]

    old = preview(je, [good_row(3)])
    failed = preview(je, [good_row(4)])
    CaseImport.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - import_kept.KEEP_FOR - dt.timedelta(hours=1))
    CaseImport.objects.filter(pk=failed.pk).update(status=ImportStatus.FAILED)
    resume_stalled_imports()
    assert kept_tables() == [waiting.pk]

    # The old preview can still be applied: from its file.
    record = apply(old)
    assert record.status == ImportStatus.APPLIED and record.created_count == 1
