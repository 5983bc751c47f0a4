"""Programme groups as rows: the dashboard's four headlines, which were literals, created from
the sources a database already has so that its dashboard stays the same."""

from django.db import migrations, models

# (code, name, order, source code, this year only): the literals of dashboard.queries before.
GROUPS = (
    ("NQ57-TINH", "Nhiệm vụ của tỉnh", 10, "NQ57-TINH", False),
    ("NQ57-TINH-NAM", "Nhiệm vụ năm {year}", 20, "NQ57-TINH", True),
    ("NQ71", "Nghị quyết 71/NQ-CP", 30, "NQ71", False),
    ("CDS-DANG", "Đảng, Mặt trận", 40, "CDS-DANG", False),
)


def create_groups(apps, schema_editor):
    Source = apps.get_model("tasks", "Source")
    ProgrammeGroup = apps.get_model("tasks", "ProgrammeGroup")
    sources = Source.objects.in_bulk(field_name="code")
    for code, name, order, source, this_year_only in GROUPS:
        if source in sources:
            group = ProgrammeGroup.objects.create(
                code=code, name=name, order=order, this_year_only=this_year_only
            )
            group.sources.add(sources[source])


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0004_task_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgrammeGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, unique=True, verbose_name="mã")),
                (
                    "name",
                    models.CharField(
                        help_text="“{year}” được thay bằng năm của ngày số liệu.",
                        max_length=255,
                        verbose_name="tên",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
                (
                    "this_year_only",
                    models.BooleanField(default=False, verbose_name="chỉ nhiệm vụ của năm số liệu"),
                ),
                ("version", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "sources",
                    models.ManyToManyField(
                        related_name="programme_groups", to="tasks.source", verbose_name="nguồn"
                    ),
                ),
            ],
            options={
                "verbose_name": "nhóm nhiệm vụ",
                "verbose_name_plural": "nhóm nhiệm vụ",
                "ordering": ["order", "code"],
            },
        ),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
