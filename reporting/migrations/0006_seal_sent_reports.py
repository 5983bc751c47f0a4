from django.db import migrations

# The states in which a report has left its unit (reporting.models.EDITABLE_STATES' complement).
SENT = ("submitted", "approved", "received")


def seal_sent_reports(apps, schema_editor):
    """Existing databases are sealed at once: every report already sent seals its unit's period,
    from the report's first submission."""
    report_model = apps.get_model("reporting", "UnitReport")
    seal_model = apps.get_model("periods", "Seal")
    seal_model.objects.bulk_create(
        [
            seal_model(period_id=r.period_id, unit_id=r.unit_id, since=r.first_submitted_at)
            for r in report_model.objects.filter(state__in=SENT, first_submitted_at__isnull=False)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('periods', '0002_seal'),
        ('reporting', '0005_period_moved'),
    ]

    operations = [migrations.RunPython(seal_sent_reports, migrations.RunPython.noop)]
