from django.db import migrations, models


def number_versions(apps, schema_editor):
    """The reports generated so far become versions 1, 2, … of their kind, period and unit, in
    the order they were asked for."""
    reports = apps.get_model("documents", "GeneratedReport").objects
    last = {}
    for report in reports.order_by("requested_at", "id"):
        key = (report.kind, report.period_id, report.unit_id)
        last[key] = last.get(key, 0) + 1
        reports.filter(pk=report.pk).update(version=last[key])


def create_outlines(apps, schema_editor):
    """Every kind's outline as the installation starts with it (documents.outline_defaults)."""
    from documents.outline_defaults import OUTLINES

    outlines = apps.get_model("documents", "Outline").objects
    sections = apps.get_model("documents", "OutlineSection").objects
    for kind, defaults in OUTLINES.items():
        outline, _created = outlines.get_or_create(kind=kind.value)
        if outline.sections.exists():
            continue
        sections.bulk_create(
            sections.model(
                outline=outline, code=d.code, order=n, level=d.level, title=d.title,
                blocks=list(d.blocks), area_code=d.area, said=list(d.said), numbered=d.numbered,
            )
            for n, d in enumerate(defaults, start=1)
        )



class Migration(migrations.Migration):
    dependencies = [("documents", "0003_outlines_prose_frozen_reports")]

    operations = [
        migrations.RunPython(number_versions, migrations.RunPython.noop),
        migrations.RunPython(create_outlines, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='generatedreport',
            constraint=models.UniqueConstraint(fields=('kind', 'period', 'unit', 'version'), name='documents_one_version'),
        ),
    ]
