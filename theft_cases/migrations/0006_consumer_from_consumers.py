"""Take over ``Consumer`` and its history from ``consumers`` (issue 13).

State only: the tables ``consumers_consumer`` and
``consumers_historicalconsumer`` stay where they are with every row, and the
case's foreign key keeps its constraint on the same table; the models now
belong to ``theft_cases`` (DESIGN §2: case feeding writes them). The content
types follow, so permissions granted on them and admin log entries stay.
``consumers.0004`` then drops the old models from the state.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("consumer", "historicalconsumer")


def move_content_types(apps, schema_editor, *, old="consumers", new="theft_cases"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="theft_cases", new="consumers")


PERSON_FIELDS = [
    ("name", models.CharField(max_length=200, verbose_name="name")),
    ("father_or_husband_name", models.CharField(
        blank=True, max_length=200, verbose_name="father's / husband's name")),
    ("address", models.TextField(verbose_name="address of the premises")),
    ("mobile", models.CharField(blank=True, db_index=True, max_length=10,
                                verbose_name="mobile")),
    ("account_number", models.CharField(blank=True, db_index=True, max_length=12,
                                        verbose_name="account number")),
    ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
]


class Migration(migrations.Migration):

    dependencies = [
        ("theft_cases", "0005_case_number_unique_ignoring_case"),
        ("consumers", "0003_mobile_change_request"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Consumer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        *PERSON_FIELDS,
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "consumer",
                        "verbose_name_plural": "consumers",
                        "db_table": "consumers_consumer",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalConsumer",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True,
                                                      db_index=True, verbose_name="ID")),
                        *PERSON_FIELDS,
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100,
                                                                   null=True)),
                        ("history_type", models.CharField(
                            choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                            max_length=1)),
                        ("history_user", models.ForeignKey(
                            null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "historical consumer",
                        "verbose_name_plural": "historical consumers",
                        "db_table": "consumers_historicalconsumer",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                # The constraint already points at consumers_consumer: re-point
                # the state only.
                migrations.AlterField(
                    model_name="theftcase",
                    name="consumer",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                            related_name="cases",
                                            to="theft_cases.consumer"),
                ),
                migrations.AlterField(
                    model_name="historicaltheftcase",
                    name="consumer",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                            on_delete=django.db.models.deletion.DO_NOTHING,
                                            related_name="+", to="theft_cases.consumer"),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
