"""The indicator sets become rows: the two sets the booleans spelled ("2025–2045", "2025") are
created with the indicators that had the flag, then the booleans go. A set is created only when
some indicator is in it (a new database gets its sets from the standing office or the demo)."""

from django.db import migrations
from django.utils import timezone

# (flag, code, name as the province writes it, first year, last year, order)
SETS = (
    ("in_2025_2045_set", "2025-2045", "giai đoạn 2025–2045", 2025, 2045, 1),
    ("in_2025_set", "2025", "năm 2025", 2025, 2025, 2),
)


def sets_from_flags(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorSet = apps.get_model("indicators", "IndicatorSet")
    History = apps.get_model("indicators", "HistoricalIndicatorSet")
    Members = apps.get_model("indicators", "HistoricalIndicatorSet_indicators")
    for flag, code, name, first_year, last_year, order in SETS:
        members = list(Indicator.objects.filter(**{flag: True}))
        if not members:
            continue
        made = IndicatorSet.objects.create(
            code=code, name=name, first_year=first_year, last_year=last_year, order=order
        )
        made.indicators.set(members)
        created = History.objects.create(
            id=made.pk, code=code, name=name, first_year=first_year, last_year=last_year,
            order=order, history_date=timezone.now(), history_type="+",
        )
        Members.objects.bulk_create(
            Members(id=row.pk, history=created, indicator_id=row.indicator_id, indicatorset=made)
            for row in IndicatorSet.indicators.through.objects.filter(indicatorset=made)
        )


def flags_from_sets(apps, schema_editor):
    """Backwards: the flags from the sets' members, then no sets (as before 0006)."""
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorSet = apps.get_model("indicators", "IndicatorSet")
    for flag, code, *_rest in SETS:
        Indicator.objects.filter(sets__code=code).update(**{flag: True})
    IndicatorSet.indicators.through.objects.all().delete()
    IndicatorSet.objects.all().delete()
    for history in ("HistoricalIndicatorSet_indicators", "HistoricalIndicatorSet"):
        apps.get_model("indicators", history).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_indicator_sets")]

    operations = [migrations.RunPython(sets_from_flags, flags_from_sets)]
