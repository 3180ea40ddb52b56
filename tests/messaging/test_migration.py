"""Upgrading a database of the old layout (SMS and OTP in ``consumers``) keeps every row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD_LAYOUT = [("consumers", "0001_initial"), ("messaging", None)]


@pytest.mark.django_db(transaction=True)
def test_migrate_from_the_old_layout_keeps_sms_and_otp_rows():
    executor = MigrationExecutor(connection)
    executor.migrate(OLD_LAYOUT)
    old = MigrationExecutor(connection).loader.project_state(
        [("consumers", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    ).apps
    OldSms = old.get_model("consumers", "SmsMessage")
    OldOtp = old.get_model("consumers", "OtpChallenge")
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="consumers", model="smsmessage")
    sms = OldSms.objects.create(mobile="9876543210", template="ots_otp", language="hi",
                                variables={"code": "123456"}, text="old text",
                                status="sent", sent_at=timezone.now())
    queued = OldSms.objects.create(mobile="9876543211", template="ots_fee_paid",
                                   variables={"registration": "R1"}, text="queued text")
    otp = OldOtp.objects.create(mobile="9876543210", purpose="register", subject="LKO/1",
                                code_hash="ab" * 32,
                                expires_at=timezone.now() + dt.timedelta(minutes=10))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType as NewContentType

    from messaging.models import OtpChallenge, SmsMessage, SmsStatus

    moved = SmsMessage.objects.get(pk=sms.pk)
    assert (moved.mobile, moved.text, moved.status) == ("9876543210", "old text", SmsStatus.SENT)
    assert moved.attempts == 0 and moved.error == "" and moved.provider_ref == ""
    assert SmsMessage.objects.get(pk=queued.pk).status == SmsStatus.QUEUED
    challenge = OtpChallenge.objects.get(pk=otp.pk)
    assert challenge.subject == "LKO/1" and challenge.code_hash == "ab" * 32
    assert challenge.message is None
    assert NewContentType.objects.filter(app_label="messaging", model="smsmessage").exists()
    assert not NewContentType.objects.filter(app_label="consumers", model="smsmessage").exists()
    # New rows go on in the same tables.
    SmsMessage.objects.create(mobile="9000000000", template="ots_otp", text="t")
    assert SmsMessage._meta.db_table == "consumers_smsmessage"
    assert SmsMessage.objects.count() == 3
