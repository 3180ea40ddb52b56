"""SMS through the MSG91 adapter against a real HTTP server on loopback.

No mock of our code: the adapter speaks HTTP to a fake MSG91 (conftest.py)
that checks the ``authkey`` header and records what it was sent.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import sms
from messaging.models import OtpChallenge, SmsMessage, SmsStatus
from tests.factories import ConsumerFactory, TheftCaseFactory
from tests.messaging.conftest import DLR_TOKEN, TEMPLATE_IDS

pytestmark = pytest.mark.django_db


def _otp_journey(client, case, capture):
    with capture(execute=True):
        return client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})


def test_otp_reaches_the_provider_with_its_dlt_template(
        client, org_tree, schemes, msg91, rate_limits, django_capture_on_commit_callbacks):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9876543210"))
    _otp_journey(client, case, django_capture_on_commit_callbacks)
    assert len(msg91.requests) == 1
    sent = msg91.requests[0]
    assert sent["headers"]["Authkey"] == "test-msg91-authkey"
    body = sent["json"]
    assert body["DLT_TE_ID"] == TEMPLATE_IDS["ots_otp.hi"]  # Hindi first
    assert body["sender"] == "MVVNLS" and body["route"] == "4" and body["country"] == "91"
    assert body["unicode"] == 1
    assert body["sms"][0]["to"] == ["919876543210"]
    text = body["sms"][0]["message"]
    code = text.split("ओटीपी ")[1].split(" ")[0]
    assert text == (f"MVVNL RED पोर्टल: आपका ओटीपी {code} है। यह 10 मिनट तक मान्य है। इसे "
                    "किसी को न बताएँ।")
    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.SENT and message.provider == "msg91"
    assert message.provider_ref == "req000001" and message.attempts == 1
    # The provider has the code now: the outbox no longer does (DESIGN §7).
    assert code not in message.text and message.variables["code"] == "******"
    # And the code that left is the one the OTP page accepts.
    page = client.post(reverse("consumers:otp_verify"), {"code": code})
    assert page.status_code == 302 and OtpChallenge.objects.get().verified_at


def test_english_otp_uses_the_english_template(msg91):
    from messaging import otp

    otp_sent = otp.otp_send(mobile="9000000001", purpose="status", language="en")
    sms.sms_deliver(OtpChallenge.objects.get(pk=otp_sent.challenge_id).message_id)
    body = msg91.requests[0]["json"]
    assert body["DLT_TE_ID"] == TEMPLATE_IDS["ots_otp.en"] and body["unicode"] == 0
    assert body["sms"][0]["message"].startswith("MVVNL RED portal: your OTP is ")


def test_a_mistyped_variable_is_refused_before_sending_and_kept_for_staff(msg91):
    message = sms.sms_queue(mobile="9000000002", template="ots_rejected", language="en",
                            variables={"registration": "OTS23-AMI1-000001",
                                       "reason": "The identity papers did not match at all"})
    assert message.status == SmsStatus.FAILED
    assert "more than 30" in message.error
    assert sms.sms_deliver(message.pk) == (sms.Outcome.SKIPPED, 0)
    assert msg91.requests == []


def test_a_text_changed_after_queueing_is_refused_not_sent(msg91):
    message = sms.sms_queue(mobile="9000000003", template="ots_otp", language="en",
                            variables={"code": "123456"})
    # Someone edits the outbox row (or the template changed since): no match.
    SmsMessage.objects.filter(pk=message.pk).update(text=message.text.replace("10", "30"))
    assert sms.sms_deliver(message.pk)[0] == sms.Outcome.FAILED
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and "registered template" in message.error
    assert msg91.requests == []


def test_a_template_without_a_dlt_id_is_refused(msg91):
    message = sms.sms_queue(mobile="9000000004", template="ots_verified", language="en",
                            variables={"registration": "OTS23-AMI1-000001"})
    assert sms.sms_deliver(message.pk)[0] == sms.Outcome.FAILED
    message.refresh_from_db()
    assert "no DLT template id for ots_verified.en" in message.error
    assert msg91.requests == []


def test_the_provider_refusing_fails_the_message(msg91, settings):
    settings.SMS_PROVIDER_AUTH_KEY = "wrong"
    message = sms.sms_queue(mobile="9000000005", template="ots_otp", language="en",
                            variables={"code": "123456"})
    assert sms.sms_deliver(message.pk)[0] == sms.Outcome.FAILED
    message.refresh_from_db()
    assert "Authentication failure" in message.error


# --- Delivery reports ---------------------------------------------------------

def _sent(msg91, mobile="9000000006"):
    message = sms.sms_queue(mobile=mobile, template="ots_otp", language="en",
                            variables={"code": "123456"})
    sms.sms_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    return message


def _dlr_url(token=DLR_TOKEN, provider="msg91"):
    return f"{reverse('messaging:dlr_callback', args=[provider])}?token={token}"


def test_dlr_v2_form_marks_delivered(client, msg91):
    message = _sent(msg91)
    data = json.dumps([{"senderId": "MVVNLS", "requestId": message.provider_ref,
                        "report": [{"date": "2026-12-01 10:06:20", "number": "919000000006",
                                    "status": "1", "desc": "DELIVERED"}],
                        "userId": "1", "campaignName": "API"}])
    response = client.post(_dlr_url(), {"data": data})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == SmsStatus.DELIVERED and message.delivered_at
    # Repeated: harmless.
    assert client.post(_dlr_url(), {"data": data}).status_code == 200
    assert SmsMessage.objects.get(pk=message.pk).status == SmsStatus.DELIVERED


def test_dlr_v3_json_marks_failed_and_staff_see_it(client, msg91, as_user):
    message = _sent(msg91, mobile="9000000007")
    report = {"requestId": message.provider_ref, "number": "919000000007", "status": "17",
              "desc": "BLOCKED NUMBER"}
    response = client.post(_dlr_url(), json.dumps(report), content_type="application/json")
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and "BLOCKED NUMBER" in message.error
    page = as_user("itsupport").get(reverse("messaging:staff_messages"))
    assert "9000000007" in page.content.decode()


@pytest.mark.parametrize("token", ["", "wrong", DLR_TOKEN[:-1]])
def test_dlr_with_bad_token_refused_and_nothing_changes(client, msg91, token):
    message = _sent(msg91, mobile="9000000008")
    report = {"requestId": message.provider_ref, "status": "1", "desc": "DELIVERED"}
    response = client.post(_dlr_url(token), json.dumps(report),
                           content_type="application/json")
    assert response.status_code == 403
    assert SmsMessage.objects.get(pk=message.pk).status == SmsStatus.SENT


def test_dlr_refused_when_no_token_is_configured(client, msg91, settings):
    settings.SMS_PROVIDER_DLR_TOKEN = ""
    assert client.post(_dlr_url(""), {"data": "[]"}).status_code == 403


@pytest.mark.parametrize("body, content_type", [
    ("not json", "application/json"), ("[1, 2]", "application/json"),
    ("\x00", "application/json"), ("data=%7B", "application/x-www-form-urlencoded"),
])
def test_dlr_garbage_is_a_400_not_a_500(client, msg91, body, content_type):
    assert client.post(_dlr_url(), body, content_type=content_type).status_code == 400


def test_dlr_for_an_unknown_provider_is_404(client, msg91):
    assert client.post(_dlr_url(provider="other"), {"data": "[]"}).status_code == 404
    assert client.get(_dlr_url()).status_code == 405


# --- The provider down --------------------------------------------------------

def test_provider_down_the_otp_page_says_delayed_and_it_is_sent_when_back(
        client, org_tree, schemes, msg91, rate_limits, django_capture_on_commit_callbacks):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9876500001"))
    msg91.mode = "down"
    _otp_journey(client, case, django_capture_on_commit_callbacks)
    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.QUEUED and message.attempts == 1
    assert "503" in message.error and message.next_attempt_at > timezone.now()
    page = client.get(reverse("consumers:otp_verify")).content.decode()
    assert "विलंब" in page  # Hindi first: "your OTP SMS is delayed"
    assert "खोया नहीं" in page  # nothing is lost
    client.cookies["django_language"] = "en"
    english = client.get(reverse("consumers:otp_verify")).content.decode()
    del client.cookies["django_language"]
    assert "Your OTP SMS is delayed." in english and "Nothing is lost" in english
    # The sweep leaves it until its back-off has passed …
    SmsMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=3))
    assert sms.queued_sms_deliver() == 0
    # … and sends it once the provider is back.
    msg91.mode = "up"
    SmsMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert sms.queued_sms_deliver() == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 2
    assert msg91.requests[0]["json"]["sms"][0]["to"] == ["919876500001"]
    assert "विलंब" not in client.get(reverse("consumers:otp_verify")).content.decode()


def test_nothing_listening_is_transient_too(settings, msg91):
    settings.SMS_PROVIDER_API_BASE = "http://127.0.0.1:9"  # discard port: refused
    message = sms.sms_queue(mobile="9000000009", template="ots_otp", language="en",
                            variables={"code": "123456"})
    outcome, delay = sms.sms_deliver(message.pk)
    assert (outcome, delay) == (sms.Outcome.RETRY, 15)
    message.refresh_from_db()
    assert message.status == SmsStatus.QUEUED and "unreachable" in message.error


def test_back_off_doubles_then_gives_up_and_it_staff_resend(msg91, as_user):
    msg91.mode = "down"
    message = sms.sms_queue(mobile="9000000010", template="ots_otp", language="en",
                            variables={"code": "123456"})
    delays = []
    for _ in range(sms.MAX_ATTEMPTS):
        SmsMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        delays.append(sms.sms_deliver(message.pk))
    assert [d for _, d in delays[:-1]] == [15, 30, 60, 120, 240, 480, 600]
    assert delays[-1] == (sms.Outcome.FAILED, 0)
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and "gave up after 8 tries" in message.error
    # IT support sees it and sends it again once the provider is back.
    assert as_user("je_aminabad").get(reverse("messaging:staff_messages")).status_code == 404
    it = as_user("itsupport")
    assert "9000000010" in it.get(reverse("messaging:staff_messages")).content.decode()
    msg91.mode = "up"
    response = it.post(reverse("messaging:resend", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == SmsStatus.QUEUED and message.resent_by.username == "itsupport"
    sms.sms_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and len(msg91.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_called_outside_any_transaction(msg91):
    """While the provider handles the request, the claim is committed: no lock is held."""
    # Stored directly: sms_queue would deliver it at once (autocommit, eager).
    message = SmsMessage.objects.create(
        mobile="9000000011", template="ots_otp", language="en", variables={"code": "123456"},
        text=sms.render("ots_otp", {"code": "123456"}, "en"))
    msg91.on_request = lambda: msg91.seen_status.append(
        SmsMessage.objects.get(pk=message.pk).status)
    try:
        assert sms.sms_deliver(message.pk)[0] == sms.Outcome.SENT
    finally:
        msg91.on_request = None
    # Another connection (the server's thread) read the committed "sending".
    assert msg91.seen_status == [SmsStatus.SENDING]


def test_staff_desk_links_the_undelivered_sms_page_for_it_support(as_user):
    link = reverse("messaging:staff_messages")
    assert link in as_user("itsupport").get("/staff/").content.decode()
    assert link not in as_user("je_aminabad").get("/staff/").content.decode()


def test_the_staff_page_never_shows_an_otp_in_clear(msg91, as_user):
    msg91.mode = "down"
    message = sms.sms_queue(mobile="9000000012", template="ots_otp", language="en",
                            variables={"code": "654321"})
    sms.sms_deliver(message.pk)
    page = as_user("itsupport").get(reverse("messaging:staff_messages"),
                                    {"status": "queued"}).content.decode()
    assert "9000000012" in page and "654321" not in page and "******" in page
    assert as_user("itsupport").get(reverse("messaging:staff_messages"),
                                    {"status": "x" * 10_000, "page": "10" * 12}).status_code == 200
