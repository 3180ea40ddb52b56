"""Action items, action records and reminders now belong to ``defaulters`` (state only).

The tables are kept: ``defaulters.0001`` adopted them (and their history
tables) under the same names, with every row.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("theft_cases", "0007_sweep_heap_only_updates"),
        ("defaulters", "0001_move_actions_from_theft_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # Those that point at an action item first.
                migrations.DeleteModel(name="HistoricalActionRecord"),
                migrations.DeleteModel(name="ActionRecord"),
                migrations.DeleteModel(name="HistoricalActionItem"),
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="ActionItem"),
            ],
        ),
    ]
