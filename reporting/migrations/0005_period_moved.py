
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_period_moved'),
        ('indicators', '0004_period_moved'),
        ('periods', '0001_initial'),
        ('reporting', '0004_alter_section_options'),
    ]

    # The period table stays where it is (periods.Period keeps db_table reporting_period):
    # only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='question',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='periods.period'),
                ),
                migrations.AlterField(
                    model_name='reminderlog',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='periods.period'),
                ),
                migrations.AlterField(
                    model_name='unitreport',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='periods.period'),
                ),
                migrations.DeleteModel(
                    name='Period',
                ),
            ],
        ),
    ]
