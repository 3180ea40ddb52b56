"""The nightly lapse writes fewer index entries per registration (issue 18).

* ``ots_scheme_historicalregistration``: drops every index but ``id`` and
  ``history_date`` (a registration's history is read by ``id``, ordered by
  date) and ``history_user`` (the ORM's SET_NULL), and the deferred
  foreign-key check of ``history_user`` per row; 13 indexes fewer.
* ``ots_scheme_registration``: drops the single-column indexes on
  ``scheme_id`` and ``sub_division_id``, the prefixes of (scheme, status) and
  (sub_division, status), which serve the same reads. The foreign keys stay:
  only the index is dropped (no constraint dropped and re-validated).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organization', '0002_orgunit_office_contacts'),
        ('ots_scheme', '0006_registration_held_applied_by'),
        ('theft_cases', '0009_history_indexes_nothing_reads'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalregistration',
            name='assisted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by officer'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='case',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='theft_cases.theftcase'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='fee_paid_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='held_applied_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='held money applied by'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='history_user',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='phase',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ots_scheme.phase'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='registration_number',
            field=models.CharField(max_length=24, verbose_name='registration number'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='rejected_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='scheme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ots_scheme.scheme'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='settled_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='sub_division',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organization.orgunit'),
        ),
        migrations.AlterField(
            model_name='historicalregistration',
            name='verified_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "ots_scheme_registration" ("{column}")',
                )
                for name, column in (
                    ("ots_scheme_registration_scheme_id_aba471bd", "scheme_id"),
                    ("ots_scheme_registration_sub_division_id_1987e74e", "sub_division_id"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='registration',
                    name='scheme',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='ots_scheme.scheme'),
                ),
                migrations.AlterField(
                    model_name='registration',
                    name='sub_division',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='organization.orgunit'),
                ),
            ],
        ),
    ]
