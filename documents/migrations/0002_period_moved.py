
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_initial'),
        ('periods', '0001_initial'),
    ]

    # The period table stays where it is (periods.Period keeps db_table reporting_period):
    # only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='generatedreport',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='generated_reports', to='periods.period', verbose_name='kỳ'),
                ),
            ],
        ),
    ]
