"""The products and grades sections (issue 15 item 5) added to the outlines an installation
already has: the six- and nine-month reports' after "Kết quả đạt được", the year report's as its
section 2 (the sections of part I after it renumbered); the brief's one line under "Thay đổi từ
phiên họp trước". An outline that already has a section of that code (or the brief's section the
block) is left as the standing office made it; the quarterly outline is not touched."""

import re

from django.db import migrations

ADDED = (
    # kind, the section it follows
    ("half", "ket-qua-dat-duoc"),
    ("nine_months", "ket-qua-dat-duoc"),
    ("year", "chi-tieu"),
)
NUMBER = re.compile(r"^(\d+)\. ")


def add_sections(apps, schema_editor):
    from documents.outline_defaults import OUTLINES

    outlines = apps.get_model("documents", "Outline").objects
    for kind, after in ADDED:
        outline = outlines.filter(kind=kind).first()
        if outline is None or outline.sections.filter(code="san-pham").exists():
            continue
        default = next(d for k, ds in OUTLINES.items() if k.value == kind for d in ds
                       if d.code == "san-pham")
        sections = list(outline.sections.order_by("order", "id"))
        at = next((n for n, s in enumerate(sections) if s.code == after), len(sections) - 1) + 1
        for n, section in enumerate(sections, start=1):
            section.order = n if n <= at else n + 1
            section.save(update_fields=["order"])
        outline.sections.create(
            code=default.code, order=at + 1, level=default.level, title=default.title,
            blocks=list(default.blocks), area_code=default.area, said=list(default.said),
            numbered=default.numbered,
        )
        if default.level == 2:  # the sections after it in its part move down one number
            for section in sections[at:]:
                if section.level < 2:
                    break
                found = NUMBER.match(section.title)
                if section.level == 2 and found:
                    number = int(found.group(1)) + 1
                    section.title = NUMBER.sub(f"{number}. ", section.title, count=1)
                    section.save(update_fields=["title"])


def add_brief_block(apps, schema_editor):
    section = (
        apps.get_model("documents", "OutlineSection")
        .objects.filter(outline__kind="brief", code="thay-doi")
        .first()
    )
    if section is not None and "brief.results" not in section.blocks:
        section.blocks = [*section.blocks, "brief.results"]
        section.save(update_fields=["blocks"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_versions_and_outlines")]

    operations = [
        migrations.RunPython(add_sections, migrations.RunPython.noop),
        migrations.RunPython(add_brief_block, migrations.RunPython.noop),
    ]
