"""OTP rules (DESIGN §7): 6 digits, hashed, 10 minutes, 5 tries, 3 sends an hour."""

import datetime as dt

import pytest
from django.utils import timezone

from messaging import otp
from messaging.models import OtpChallenge, SmsMessage
from tests.consumers.conftest import otp_from_outbox

pytestmark = pytest.mark.django_db
MOBILE = "9123456789"


def send(mobile=MOBILE):
    return otp.otp_send(mobile=mobile, purpose="register", subject="CASE-1")


def test_code_is_six_digits_stored_hashed_and_sent_by_sms(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send()
    code = otp_from_outbox(MOBILE)
    challenge = OtpChallenge.objects.get(pk=sent.challenge_id)
    assert len(code) == 6 and code.isdigit()
    assert code not in challenge.code_hash
    assert challenge.expires_at - challenge.created_at == pytest.approx(
        dt.timedelta(minutes=10), abs=dt.timedelta(seconds=1))
    sms = SmsMessage.objects.get(mobile=MOBILE)
    assert sms.status == "sent"  # delivered by the Celery task after commit
    assert code in sms.text


def test_right_code_verifies_once():
    sent = send()
    code = otp_from_outbox(MOBILE)
    otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="register",
                   subject="CASE-1")
    with pytest.raises(otp.OtpError) as err:
        otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="register")
    assert err.value.code == "used"


def test_code_for_another_case_or_purpose_refused():
    sent = send()
    code = otp_from_outbox(MOBILE)
    with pytest.raises(otp.OtpError):
        otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="register",
                       subject="CASE-2")
    with pytest.raises(otp.OtpError):
        otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="status")


def test_expired_after_ten_minutes():
    sent = send()
    code = otp_from_outbox(MOBILE)
    OtpChallenge.objects.filter(pk=sent.challenge_id).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(otp.OtpError) as err:
        otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="register")
    assert err.value.code == "expired"


def test_five_wrong_tries_lock_the_challenge_even_for_the_right_code():
    sent = send()
    code = otp_from_outbox(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    codes = []
    for _ in range(5):
        with pytest.raises(otp.OtpError) as err:
            otp.otp_verify(challenge_id=sent.challenge_id, code=wrong, purpose="register")
        codes.append(err.value.code)
    assert codes == ["wrong"] * 4 + ["too_many_tries"]
    assert OtpChallenge.objects.get(pk=sent.challenge_id).attempts == 5
    with pytest.raises(otp.OtpError) as err:
        otp.otp_verify(challenge_id=sent.challenge_id, code=code, purpose="register")
    assert err.value.code == "too_many_tries"


def test_at_most_three_sends_per_mobile_per_hour():
    for _ in range(3):
        send()
    with pytest.raises(otp.OtpError) as err:
        send()
    assert err.value.code == "too_many_sends"
    assert OtpChallenge.objects.filter(mobile=MOBILE).count() == 3
    send(mobile="9123456780")  # another mobile is not held back
    # An hour later the mobile may ask again.
    OtpChallenge.objects.filter(mobile=MOBILE).update(
        created_at=timezone.now() - dt.timedelta(minutes=61))
    send()
