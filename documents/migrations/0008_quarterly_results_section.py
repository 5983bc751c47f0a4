"""The products and grades section (issue 15 item 5) in the quarterly outline an installation
already has, after "Kết quả đạt được", printed only when the year has products or the quarter a
published month of scores (omit_empty): a quarter without them reads as before. A quarterly
outline that already has a section of that code is left as the standing office made it, save one
still exactly as a new installation writes it (migration 0004 writes today's defaults, before
omit_empty existed), which gets the default's omit_empty. The six-month, nine-month and year
outlines' sections stating the products get the by-area lines after them."""

from django.db import migrations

FIELDS = ("level", "title", "blocks", "area_code", "said", "numbered")


def _default():
    from documents.outline_defaults import OUTLINES

    return next(
        d for kind, defaults in OUTLINES.items() if kind.value == "quarterly" for d in defaults
        if d.code == "san-pham"
    )  # fmt: skip


def add_quarterly_section(apps, schema_editor):
    outline = apps.get_model("documents", "Outline").objects.filter(kind="quarterly").first()
    if outline is None:
        return
    default = _default()
    written = {
        "level": default.level, "title": default.title, "blocks": list(default.blocks),
        "area_code": default.area, "said": list(default.said), "numbered": default.numbered,
    }  # fmt: skip
    existing = outline.sections.filter(code="san-pham").first()
    if existing is not None:
        if {name: getattr(existing, name) for name in FIELDS} == written:
            existing.omit_empty = default.omit_empty
            existing.save(update_fields=["omit_empty"])
        return
    sections = list(outline.sections.order_by("order", "id"))
    at = next(
        (n for n, s in enumerate(sections) if s.code == "ket-qua-dat-duoc"), len(sections) - 1
    ) + 1
    for n, section in enumerate(sections, start=1):
        order = n if n <= at else n + 1
        if section.order != order:
            section.order = order
            section.save(update_fields=["order"])
    outline.sections.create(
        code=default.code, order=at + 1, omit_empty=default.omit_empty, **written
    )


def add_area_block(apps, schema_editor):
    sections = apps.get_model("documents", "OutlineSection").objects.filter(
        outline__kind__in=("half", "nine_months", "year")
    )
    for section in sections:
        blocks = list(section.blocks)
        if "products.delivery" in blocks and "products.by_area" not in blocks:
            blocks.insert(blocks.index("products.delivery") + 1, "products.by_area")
            section.blocks = blocks
            section.save(update_fields=["blocks"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_outline_section_omit_empty")]

    operations = [
        migrations.RunPython(add_quarterly_section, migrations.RunPython.noop),
        migrations.RunPython(add_area_block, migrations.RunPython.noop),
    ]
