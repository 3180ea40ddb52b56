"""The sweep writes fewer index entries per item it opens; the feed reads flags from items (issue 18).

* ``theft_cases_actionitem``: drops the single-column indexes on
  ``scheme_id`` (nothing lists items by scheme) and ``sub_division_id`` (the
  prefix of (sub_division, status, due_date), which serves a unit's items);
  the foreign keys stay, so only the index is dropped (no constraint is
  dropped and re-validated). Adds ``actionitem_created_case`` on
  (created_at, case_id): the API's case change feed pages the sweep's flags
  (its new items) on it, instead of a ``CaseStatusChange`` row per flag.
* ``theft_cases_historicalactionitem``: drops the indexes on ``case_id``,
  ``scheme_id`` and ``sub_division_id`` (an item's history is read by ``id``,
  ordered by ``history_date``, both kept) and the deferred foreign-key check
  of ``history_user`` per row (the ORM still sets it NULL when a user is
  deleted; its index stays for that).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('defaulters', '0001_move_actions_from_theft_cases'),
        ('organization', '0002_orgunit_office_contacts'),
        ('ots_scheme', '0006_registration_held_applied_by'),
        ('theft_cases', '0009_history_indexes_nothing_reads'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "theft_cases_actionitem" ("{column}")',
                )
                for name, column in (
                    ("theft_cases_actionitem_scheme_id_524c40aa", "scheme_id"),
                    ("theft_cases_actionitem_sub_division_id_817028ed", "sub_division_id"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='actionitem',
                    name='scheme',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='ots_scheme.scheme'),
                ),
                migrations.AlterField(
                    model_name='actionitem',
                    name='sub_division',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='organization.orgunit'),
                ),
            ],
        ),
        migrations.AlterField(
            model_name='historicalactionitem',
            name='case',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='theft_cases.theftcase'),
        ),
        migrations.AlterField(
            model_name='historicalactionitem',
            name='history_user',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalactionitem',
            name='scheme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ots_scheme.scheme'),
        ),
        migrations.AlterField(
            model_name='historicalactionitem',
            name='sub_division',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organization.orgunit'),
        ),
        migrations.AddIndex(
            model_name='actionitem',
            index=models.Index(fields=['created_at', 'case'], name='actionitem_created_case'),
        ),
    ]
