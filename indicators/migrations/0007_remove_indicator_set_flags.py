"""The booleans the indicator sets replaced (see 0006) go, in their own migration: PostgreSQL
refuses to alter a table with pending trigger events from rows written in the same transaction."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_indicator_sets_from_flags")]

    operations = [
        migrations.RemoveField(
            model_name='indicator',
            name='in_2025_2045_set',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='in_2025_set',
        ),
    ]
