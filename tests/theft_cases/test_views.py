"""Staff pages of case feeding: list, detail, entry, edit, import, exports."""

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.dates import today_ist
from organization.models import OrgUnit
from tests.factories import ConsumerFactory, TheftCaseFactory
from theft_cases.models import CaseImport, Consumer, ImportStatus, TheftCase

from .importfiles import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

ODD_NUMBER = "LKO/AMN/2023/0123 A-1"


@pytest.fixture
def cases(org_tree, users):
    victoria = org_tree["victoria"]
    return {
        "mine": TheftCaseFactory(case_number=ODD_NUMBER,
                                 consumer=ConsumerFactory(name="सुरेश यादव", mobile="9811111111",
                                                          account_number="1111111111")),
        "other_mine": TheftCaseFactory(case_number="LKO/AMN/2023/0200",
                                       assessment_amount=Decimal("1000.50"),
                                       consumer=ConsumerFactory(name="Suresh Verma",
                                                                mobile="")),
        "chowk": TheftCaseFactory(case_number="LKO/CHK/2023/0001", sub_division=victoria,
                                  consumer=ConsumerFactory(name="मोहन लाल")),
    }


def form_data(**changes):
    data = {
        "case_number": "LKO/AMN/2023/0999", "detection_date": "2023-07-10",
        "sub_division": OrgUnit.objects.get(code="aminabad-1").pk,
        "name": "गीता देवी", "father_or_husband_name": "", "address": "5, नाका, लखनऊ",
        "account_number": "", "mobile": "+91 9876543210", "category": "LMV-1",
        "theft_type": "direct", "load_kw": "1", "fir_number": "", "police_station": "",
        "assessment_amount": "1,23,456.50", "compounding_fee": "2000", "deposited_amount": "",
    }
    data.update(changes)
    return data


def test_list_is_scoped_with_totals(as_user, cases):
    page = as_user("je_aminabad").get("/staff/cases/").content.decode()
    assert ODD_NUMBER in page and "LKO/AMN/2023/0200" in page
    assert "LKO/CHK/2023/0001" not in page
    assert "₹1,24,456.50" in page  # 1,23,456.00 + 1,000.50
    everything = as_user("director").get("/staff/cases/").content.decode()
    assert "LKO/CHK/2023/0001" in everything


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=सुरेश", {ODD_NUMBER}),
        ("q=suresh", {"LKO/AMN/2023/0200"}),
        ("q=%2B919811111111", {ODD_NUMBER}),
        ("q=1111111111", {ODD_NUMBER}),
        ("q=0200", {"LKO/AMN/2023/0200"}),
        ("has_mobile=no", {"LKO/AMN/2023/0200"}),
        ("assessed_min=5000", {ODD_NUMBER}),
        ("q=मोहन", set()),  # another unit's case is never found
    ],
)
def test_list_search_and_filters(as_user, cases, query, expected):
    page = as_user("je_aminabad").get(f"/staff/cases/?{query}").content.decode()
    shown = {n for n in (ODD_NUMBER, "LKO/AMN/2023/0200", "LKO/CHK/2023/0001") if n in page}
    assert shown == expected


def test_detail_with_odd_case_number_and_404_for_other_unit(as_user, cases):
    client = as_user("je_aminabad")
    url = cases["mine"].get_absolute_url()
    assert url == "/staff/cases/LKO/AMN/2023/0123%20A-1/"
    page = client.get(url)
    assert page.status_code == 200
    assert "सुरेश यादव" in page.content.decode()
    assert client.get(cases["chowk"].get_absolute_url()).status_code == 404
    assert client.get("/staff/cases/LKO/CHK/2023/0001/edit/").status_code == 404
    assert client.get("/staff/cases/NO/SUCH/CASE/").status_code == 404


def test_staff_only(client, cases):
    assert client.get("/staff/cases/").status_code == 302  # to the login page


def test_feed_a_case(as_user, users, cases):
    client = as_user("je_aminabad")
    response = client.post("/staff/cases/new/", form_data())
    case = TheftCase.objects.get(case_number="LKO/AMN/2023/0999")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.assessment_amount == Decimal("123456.50")
    assert case.consumer.mobile == "9876543210"
    assert case.fed_by == users["je_aminabad"]
    assert case.history.get().history_user == users["je_aminabad"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"detection_date": (today_ist() - dt.timedelta(days=5)).isoformat()},
         "detection_date", "less than one calendar month"),
        ({"detection_date": (today_ist() + dt.timedelta(days=5)).isoformat()},
         "detection_date", "in the future"),
        ({"assessment_amount": "-1"}, "assessment_amount", "cannot be negative"),
        ({"compounding_fee": "abc"}, "compounding_fee", "Enter an amount in rupees"),
        ({"mobile": "12345"}, "mobile", "10 digits"),
        ({"account_number": "12"}, "account_number", "10 to 12 digits"),
        ({"case_number": ODD_NUMBER}, "case_number", "already on the portal"),
        ({"sub_division": "victoria"}, "sub_division", "valid choice"),
    ],
)
def test_feed_validation(as_user, cases, changes, field, message):
    if changes.get("sub_division") == "victoria":
        changes["sub_division"] = OrgUnit.objects.get(code="victoria").pk
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": "en"})
    before = TheftCase.objects.count()
    response = client.post("/staff/cases/new/", form_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert TheftCase.objects.count() == before


def test_duplicate_warning_then_confirm(as_user, cases):
    client = as_user("je_aminabad")
    data = form_data(account_number="1111111111")
    first = client.post("/staff/cases/new/", data)
    assert first.status_code == 200
    assert "duplicate-warning" in first.content.decode()
    assert ODD_NUMBER in first.content.decode()
    assert not TheftCase.objects.filter(case_number="LKO/AMN/2023/0999").exists()
    second = client.post("/staff/cases/new/", {**data, "confirm_duplicate": "on"})
    assert second.status_code == 302
    assert TheftCase.objects.filter(case_number="LKO/AMN/2023/0999").exists()


def test_edit_shows_in_history(as_user, users, cases):
    client = as_user("sdo_aminabad")
    case = cases["mine"]
    url = f"{case.get_absolute_url()}edit/"
    assert client.get(url).status_code == 200
    data = form_data(case_number="ignored", assessment_amount="99,999.00",
                     name="सुरेश यादव", account_number="1111111111", mobile="9811111111",
                     detection_date="2023-06-15", category="LMV-1", load_kw="2",
                     compounding_fee="4000", deposited_amount="0",
                     address=case.consumer.address,
                     father_or_husband_name=case.consumer.father_or_husband_name)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.case_number == ODD_NUMBER
    assert case.assessment_amount == Decimal("99999.00")
    client.cookies.load({"django_language": "en"})
    page = client.get(case.get_absolute_url()).content.decode()
    assert "sdo_aminabad" in page
    history = page[page.index('id="history"'):]
    assert "1,23,456.00" in history and "99,999.00" in history


def test_compounding_fee_suggestion(as_user, cases):
    client = as_user("je_aminabad")
    page = client.get("/staff/cases/compounding-fee/",
                      {"category": "LMV-2", "load_kw": "2.5", "compounding_fee": ""})
    assert 'value="30000.00"' in page.content.decode()
    none = client.get("/staff/cases/compounding-fee/",
                      {"category": "NC", "load_kw": "", "compounding_fee": "777"})
    assert 'value="777"' in none.content.decode()


def test_export_csv_and_xlsx_filtered(as_user, cases):
    client = as_user("je_aminabad")
    response = client.get("/staff/cases/export/csv/?q=सुरेश")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ODD_NUMBER in body and "LKO/AMN/2023/0200" not in body
    assert "LKO/CHK" not in body
    xlsx = client.get("/staff/cases/export/xlsx/")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {ODD_NUMBER, "LKO/AMN/2023/0200"}


def test_template_downloads(as_user, users):
    client = as_user("je_aminabad")
    body = b"".join(client.get("/staff/imports/template.csv").streaming_content)
    assert body.decode("utf-8-sig").startswith("case_number,detection_date,account_number")
    sheet = load_workbook(io.BytesIO(client.get("/staff/imports/template.xlsx").content)).active
    assert sheet.max_row == 3


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file to the import page, running the queued tasks (eager Celery)."""

    def post(client, data: bytes, name="list.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/staff/imports/", {"file": SimpleUploadedFile(name, data)})

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def post(client, pk):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/staff/imports/{pk}/apply/")

    return post


def test_import_preview_then_apply(as_user, users, upload, confirm):
    client = as_user("je_aminabad")
    rows = [good_row(1), good_row(2, mobile="123"), good_row(3, sub_division_code="victoria")]
    response = upload(client, xlsx_bytes(rows), name="list.bin")
    record = CaseImport.objects.get()
    assert response["Location"] == f"/staff/imports/{record.pk}/"
    assert record.status == ImportStatus.PREVIEWED  # eager Celery on SQLite
    assert TheftCase.objects.count() == 0
    client.cookies.load({"django_language": "en"})
    page = client.get(f"/staff/imports/{record.pk}/").content.decode()
    assert "mobile must be 10 digits" in page and "outside your jurisdiction" in page
    confirm(client, record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert (record.created_count, record.rejected_count) == (1, 2)
    assert TheftCase.objects.count() == 1
    report = client.get(f"/staff/imports/{record.pk}/report/")
    assert b"line,column,reason" in b"".join(report.streaming_content)
    # The same file again: everything unchanged.
    upload(client, xlsx_bytes(rows))
    again = CaseImport.objects.order_by("-pk").first()
    assert (again.created_count, again.unchanged_count, again.rejected_count) == (0, 1, 2)


def test_import_page_in_hindi(as_user, users, upload):
    client = as_user("je_aminabad")
    upload(client, csv_bytes([good_row(1, mobile="123")]))
    record = CaseImport.objects.get()
    page = client.get(f"/staff/imports/{record.pk}/").content.decode()
    assert record.rejected_count == 1
    assert "मोबाइल 10 अंकों का हो" in page and "अस्वीकृत पंक्तियाँ" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV"),
    ],
)
def test_import_refuses_bad_files(as_user, users, upload, data, message):
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": "en"})
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CaseImport.objects.count() == 0


def test_import_missing_columns_found_by_the_worker(as_user, users, upload):
    """The header is read in the worker, never in the web request (DESIGN §5)."""
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": "en"})
    upload(client, b"case_number,name\nX,Y\n")
    record = CaseImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "Required columns missing" in record.message
    assert "Required columns missing" in client.get(f"/staff/imports/{record.pk}/").content.decode()


def test_import_refuses_too_large(as_user, users, upload, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": "en"})
    response = upload(client, csv_bytes([good_row(n) for n in range(5)]))
    assert "too large" in response.content.decode()
    assert CaseImport.objects.count() == 0


def test_another_users_import_is_404(as_user, users, upload):
    upload(as_user("je_aminabad"), csv_bytes([good_row(1)]))
    record = CaseImport.objects.get()
    other = as_user("je_chowk")
    assert other.get(f"/staff/imports/{record.pk}/").status_code == 404
    assert other.post(f"/staff/imports/{record.pk}/apply/").status_code == 404
    assert TheftCase.objects.count() == 0


@pytest.mark.parametrize("language", ["hi", "en"])
def test_pages_render_in_both_languages(as_user, cases, language):
    client = as_user("je_aminabad")
    client.cookies.load({"django_language": language})
    for url in ["/staff/cases/", "/staff/cases/new/", cases["mine"].get_absolute_url(),
                f"{cases['mine'].get_absolute_url()}edit/", "/staff/imports/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_import_through_a_real_worker(celery_worker, as_user, users, upload):
    client = as_user("je_aminabad")
    upload(client, csv_bytes([good_row(n) for n in range(1, 30)]))
    record = CaseImport.objects.get()

    def status():
        record.refresh_from_db()
        return record.status

    deadline = time.monotonic() + 60
    while status() != ImportStatus.PREVIEWED and time.monotonic() < deadline:
        time.sleep(0.3)
    assert record.status == ImportStatus.PREVIEWED and record.created_count == 29
    assert client.get(f"/staff/imports/{record.pk}/progress/").status_code == 200
    client.post(f"/staff/imports/{record.pk}/apply/")
    while status() != ImportStatus.APPLIED and time.monotonic() < deadline:
        time.sleep(0.3)
    assert record.status == ImportStatus.APPLIED
    assert TheftCase.objects.count() == 29 and Consumer.objects.count() == 29


def test_senior_sees_but_cannot_confirm_an_import(as_user, users, upload):
    upload(as_user("je_aminabad"), csv_bytes([good_row(1)]))
    record = CaseImport.objects.get()
    xen = as_user("xen_aminabad")
    page = xen.get(f"/staff/imports/{record.pk}/").content.decode()
    assert "/apply/" not in page
    xen.post(f"/staff/imports/{record.pk}/apply/")
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    assert TheftCase.objects.count() == 0
