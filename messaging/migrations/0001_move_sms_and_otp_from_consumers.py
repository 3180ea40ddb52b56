"""Take over the SMS outbox and OTP tables from ``consumers`` (issue 13).

State only: the tables ``consumers_smsmessage`` and ``consumers_otpchallenge``
stay where they are with every row; the models now belong to ``messaging``.
The content types follow, so admin permissions granted on them stay granted.
"""

from django.db import migrations, models


def move_content_types(apps, schema_editor, *, old="consumers", new="messaging"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("smsmessage", "otpchallenge"):
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="messaging", new="consumers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("consumers", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SmsMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("mobile", models.CharField(db_index=True, max_length=10)),
                        ("template", models.CharField(max_length=64)),
                        ("language", models.CharField(default="hi", max_length=5)),
                        ("variables", models.JSONField(default=dict)),
                        ("text", models.TextField()),
                        ("status", models.CharField(
                            choices=[("queued", "Queued"), ("sent", "Sent"),
                                     ("failed", "Failed")],
                            default="queued", max_length=8)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "consumers_smsmessage",
                        "verbose_name": "SMS message",
                        "verbose_name_plural": "SMS messages",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="OtpChallenge",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("mobile", models.CharField(db_index=True, max_length=10)),
                        ("purpose", models.CharField(
                            choices=[("register", "Registration"), ("status", "Status"),
                                     ("assisted", "Assisted registration consent")],
                            max_length=16)),
                        ("subject", models.CharField(
                            blank=True, help_text="case number or registration number",
                            max_length=64)),
                        ("code_hash", models.CharField(max_length=128)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("expires_at", models.DateTimeField()),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("verified_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "consumers_otpchallenge",
                        "verbose_name": "OTP challenge",
                        "verbose_name_plural": "OTP challenges",
                        "indexes": [models.Index(fields=["mobile", "created_at"],
                                                 name="consumers_o_mobile_fed585_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
