"""``Consumer`` and its history now belong to ``theft_cases`` (state only).

The tables are kept: ``theft_cases.0006_consumer_from_consumers`` adopted
them under the same names and re-pointed the case's foreign key.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("consumers", "0003_mobile_change_request"),
        ("theft_cases", "0006_consumer_from_consumers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="HistoricalConsumer"),
                migrations.DeleteModel(name="Consumer"),
            ],
        ),
    ]
