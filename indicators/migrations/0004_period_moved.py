
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_dataelement_reporting_units'),
        ('periods', '0001_initial'),
    ]

    # The period table stays where it is (periods.Period keeps db_table reporting_period):
    # only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='datavalue',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='data_values', to='periods.period'),
                ),
                migrations.AlterField(
                    model_name='historicaldatavalue',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='periods.period'),
                ),
            ],
        ),
    ]
