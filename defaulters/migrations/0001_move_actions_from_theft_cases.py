"""Take over the action items, their records and the reminders from ``theft_cases`` (issue 13).

State only: the tables ``theft_cases_actionitem``, ``theft_cases_actionrecord``,
``theft_cases_reminder`` and the two history tables of django-simple-history
(``theft_cases_historicalactionitem``, ``theft_cases_historicalactionrecord``)
stay where they are with every row, their indexes and constraints under the
same names; the models now belong to ``defaulters``. The content types follow,
so permissions granted on them (the role groups) and admin log entries stay
attached.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("actionitem", "actionrecord", "reminder", "historicalactionitem",
          "historicalactionrecord")


def move_content_types(apps, schema_editor, *, old="theft_cases", new="defaulters"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="defaulters", new="theft_cases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organization", "0001_initial"),
        ("ots_scheme", "0001_initial"),
        ("theft_cases", "0006_consumer_from_consumers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(choices=[('unregistered', 'Not registered'), ('lapsed', 'Registration lapsed')], max_length=16)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('closed', 'Closed')], default='open', max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('due_date', models.DateField(verbose_name='due date')),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_reason', models.CharField(blank=True, choices=[('registered', 'Registered'), ('settled', 'Settled'), ('withdrawn', 'Withdrawn')], max_length=12)),
                        ('escalated_at', models.DateTimeField(blank=True, null=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='theft_cases.theftcase')),
                        ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='ots_scheme.scheme')),
                        ('sub_division', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='organization.orgunit')),
                    ],
                    options={
                        'verbose_name': 'action item',
                        'verbose_name_plural': 'action items',
                        'db_table': 'theft_cases_actionitem',
                    },
                ),
                migrations.CreateModel(
                    name='ActionRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('notice', 'Notice served'), ('call', 'Reminder call'), ('disconnection', 'Disconnection'), ('rc', 'Recovery certificate sent to tehsil'), ('fir', 'FIR follow-up'), ('not_traceable', 'Person not traceable')], max_length=16, verbose_name='action')),
                        ('done_on', models.DateField(verbose_name='date')),
                        ('remarks', models.TextField(blank=True, verbose_name='remarks')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='records', to='defaulters.actionitem')),
                        ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'action record',
                        'verbose_name_plural': 'action records',
                        'db_table': 'theft_cases_actionrecord',
                        'ordering': ['-done_on', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalActionItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('reason', models.CharField(choices=[('unregistered', 'Not registered'), ('lapsed', 'Registration lapsed')], max_length=16)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('closed', 'Closed')], default='open', max_length=12)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('due_date', models.DateField(verbose_name='due date')),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_reason', models.CharField(blank=True, choices=[('registered', 'Registered'), ('settled', 'Settled'), ('withdrawn', 'Withdrawn')], max_length=12)),
                        ('escalated_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='theft_cases.theftcase')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('scheme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ots_scheme.scheme')),
                        ('sub_division', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organization.orgunit')),
                    ],
                    options={
                        'verbose_name': 'historical action item',
                        'verbose_name_plural': 'historical action items',
                        'db_table': 'theft_cases_historicalactionitem',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalActionRecord',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('notice', 'Notice served'), ('call', 'Reminder call'), ('disconnection', 'Disconnection'), ('rc', 'Recovery certificate sent to tehsil'), ('fir', 'FIR follow-up'), ('not_traceable', 'Person not traceable')], max_length=16, verbose_name='action')),
                        ('done_on', models.DateField(verbose_name='date')),
                        ('remarks', models.TextField(blank=True, verbose_name='remarks')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='defaulters.actionitem')),
                        ('officer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical action record',
                        'verbose_name_plural': 'historical action records',
                        'db_table': 'theft_cases_historicalactionrecord',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('days_before', models.PositiveSmallIntegerField()),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='theft_cases.theftcase')),
                        ('phase', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ots_scheme.phase')),
                    ],
                    options={
                        'db_table': 'theft_cases_reminder',
                    },
                ),
                migrations.AddIndex(
                    model_name='actionitem',
                    index=models.Index(fields=['sub_division', 'status', 'due_date'], name='theft_cases_sub_div_f79624_idx'),
                ),
                migrations.AddConstraint(
                    model_name='actionitem',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'closed'), _negated=True), fields=('case',), name='one_open_action_item_per_case'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('case', 'phase', 'days_before'), name='one_reminder_per_phase_kind'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
