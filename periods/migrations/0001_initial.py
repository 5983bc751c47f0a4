
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the period's content type (and so any permission or admin log on it) under its
    new app instead of leaving a stale one behind."""
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="periods", model="period").exists():
        content_type.objects.filter(app_label="reporting", model="period").update(
            app_label="periods"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0001_initial'),
        # The table itself was created by reporting (0001); this app takes it over as it is.
        ('reporting', '0004_alter_section_options'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # The period table stays where it is (periods.Period keeps db_table reporting_period):
    # only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Period',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='mã kỳ')),
                        ('kind', models.CharField(choices=[('month', 'Tháng'), ('quarter', 'Quý'), ('half', 'Sáu tháng'), ('year', 'Năm'), ('quick', 'Báo cáo nhanh')], max_length=10, verbose_name='loại kỳ')),
                        ('title', models.CharField(max_length=255, verbose_name='tên kỳ')),
                        ('starts_on', models.DateField(verbose_name='từ ngày')),
                        ('ends_on', models.DateField(verbose_name='đến ngày')),
                        ('opens_at', models.DateTimeField(verbose_name='mở nhận báo cáo')),
                        ('due_at', models.DateTimeField(verbose_name='hạn nộp')),
                        ('closes_at', models.DateTimeField(blank=True, null=True, verbose_name='đóng kỳ')),
                        ('required_units', models.ManyToManyField(db_table='reporting_period_required_units', related_name='required_periods', to='org.unit', verbose_name='đơn vị phải báo cáo')),
                    ],
                    options={
                        'verbose_name': 'kỳ báo cáo',
                        'verbose_name_plural': 'kỳ báo cáo',
                        'db_table': 'reporting_period',
                        'ordering': ['-starts_on', 'code'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
