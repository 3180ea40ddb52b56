"""The SMS outbox and OTP challenges now belong to ``messaging`` (state only).

The tables are kept: ``messaging.0001`` adopted them under the same names.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("consumers", "0001_initial"),
        ("messaging", "0001_move_sms_and_otp_from_consumers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="SmsMessage"),
                migrations.DeleteModel(name="OtpChallenge"),
            ],
        ),
    ]
