"""The flagging sweep's updates stay heap-only (issue 18).

An UPDATE is HOT (no index entry written) only when no indexed column
changes and the new row version fits on its page. So ``status`` leaves the
case table's indexes (a sub-division's list is served by
(sub_division, detection_date)), the sweep logs its changes in
CaseStatusChange instead of bumping the indexed ``updated_at``, and on
PostgreSQL the table keeps 45 % of each page free for the new versions the
first mass flagging writes in one transaction (fillfactor 55).

The fillfactor applies to pages written from now on; an existing table gets
it when rewritten (``VACUUM FULL theft_cases_theftcase`` at a quiet hour,
docs/deploy.md).
"""

import django.db.models.deletion
from django.db import migrations, models

FILLFACTOR = 55


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("theft_cases_theftcase")
    schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("theft_cases_theftcase")
    schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("theft_cases", "0006_consumer_from_consumers"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseStatusChange",
            fields=[
                ("pk", models.CompositePrimaryKey("changed_at", "case", blank=True,
                                                  editable=False, primary_key=True,
                                                  serialize=False)),
                ("changed_at", models.DateTimeField()),
                ("case", models.ForeignKey(db_constraint=False, db_index=False,
                                           on_delete=django.db.models.deletion.DO_NOTHING,
                                           related_name="+", to="theft_cases.theftcase")),
            ],
        ),
        migrations.RemoveIndex(model_name="theftcase", name="theft_cases_sub_div_af0100_idx"),
        migrations.RemoveIndex(model_name="theftcase", name="theft_cases_status_602f64_idx"),
        migrations.AddIndex(
            model_name="theftcase",
            index=models.Index(fields=["sub_division", "detection_date"],
                               name="theftcase_subdiv_detected"),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
