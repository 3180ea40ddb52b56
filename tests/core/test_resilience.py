"""A broker, cache or database outage: pages answer cleanly and no work is lost.

DESIGN §7 and issue 8: pages still serve with Redis down, OTP sending and
imports say "temporarily unavailable", and work left behind resumes.
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import RequestFactory

from common.clientip import client_ip
from messaging import otp, sms
from messaging.models import OtpChallenge, OtpPurpose, SmsMessage, SmsStatus
from redportal.middleware import DatabaseUnavailableMiddleware
from tests.theft_cases.importfiles import csv_bytes, good_row
from theft_cases import services
from theft_cases.models import CaseImport, ImportStatus, TheftCase

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    return settings


@pytest.mark.django_db
def test_lookup_serves_when_the_rate_limit_cache_is_down(client, settings, schemes):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": DEAD_REDIS}}
    from django.core.cache import caches

    caches._settings = None  # pick up the dead cache
    try:
        response = client.get("/ots/lookup/", {"case_number": "NO/SUCH/CASE"})
    finally:
        caches._settings = None
    assert response.status_code == 200


@pytest.mark.django_db
def test_otp_refused_clearly_when_sms_cannot_leave(broker_down):
    with pytest.raises(otp.OtpError) as err:
        otp.otp_send(mobile="9876543210", purpose=OtpPurpose.REGISTER, subject="X")
    assert err.value.code == "sms_unavailable"
    assert "अस्थायी रूप से उपलब्ध नहीं" in err.value.message  # Hindi first
    assert OtpChallenge.objects.count() == 0  # no send was counted
    assert SmsMessage.objects.count() == 0


@pytest.mark.django_db
def test_import_upload_refused_and_nothing_stored_when_broker_down(users, broker_down):
    upload = SimpleUploadedFile("list.csv", csv_bytes([good_row(1)]), "text/csv")
    with pytest.raises(Exception) as err:
        services.import_upload(user=users["je_aminabad"], uploaded_file=upload)
    assert "अस्थायी रूप से उपलब्ध नहीं" in str(err.value)
    assert CaseImport.objects.count() == 0


@pytest.mark.django_db
def test_otp_never_logged_and_removed_after_real_delivery(
        settings, caplog, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "messaging.backends.ConsoleBackend"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        sent = otp.otp_send(mobile="9876543210", purpose=OtpPurpose.REGISTER, subject="X")
    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.SENT
    assert "******" in message.text and message.variables["code"] == "******"
    assert "9876543210" not in caplog.text
    digits = [w for w in caplog.text.split() if w.isdigit() and len(w) == 6]
    assert digits == []
    assert sent.challenge_id == OtpChallenge.objects.get().pk


@pytest.mark.django_db
def test_queued_sms_delivered_by_the_sweep(settings):
    import datetime as dt

    from django.utils import timezone

    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Its text is the registered template's: anything else is refused (DLT).
    message = SmsMessage.objects.create(mobile="9876543210", template="ots_otp",
                                        variables={"code": "123456"},
                                        text=sms.render("ots_otp", {"code": "123456"}, "hi"))
    SmsMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5))
    assert sms.queued_sms_deliver() == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT


@pytest.mark.django_db
def test_stalled_apply_is_resumed_once_with_no_row_doubled(
        users, django_capture_on_commit_callbacks):
    """A worker killed mid-apply leaves the import "applying" with nothing written."""
    import datetime as dt

    from django.utils import timezone

    upload = SimpleUploadedFile("list.csv", csv_bytes([good_row(n) for n in range(1, 6)]),
                                "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        case_import = services.import_upload(user=users["je_aminabad"],
                                             uploaded_file=upload)
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.PREVIEWED
    # The apply task "died": the status says applying, no row was written.
    CaseImport.objects.filter(pk=case_import.pk).update(
        status=ImportStatus.APPLYING, uploaded_at=timezone.now() - dt.timedelta(hours=1))
    assert TheftCase.objects.count() == 0
    assert services.resume_stalled_imports() == 1
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.APPLIED
    assert case_import.created_count == 5
    assert TheftCase.objects.count() == 5
    # A second sweep finds nothing to do and doubles nothing.
    assert services.resume_stalled_imports() == 0
    assert TheftCase.objects.count() == 5


def test_database_outage_answers_503_with_retry_hint():
    request = RequestFactory().get("/ots/lookup/")
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.content.decode()
    assert middleware.process_exception(request, ValueError("x")) is None


def test_client_ip_from_the_proxy_header_or_the_socket(settings):
    factory = RequestFactory()
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(factory.get("/", HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    # Missing or forged-garbage header: the socket address, never an error.
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", HTTP_X_REAL_IP="<script>",
                                 REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(factory.get("/", HTTP_X_REAL_IP="203.0.113.9",
                                 REMOTE_ADDR="10.0.0.3")) == "10.0.0.3"
