"""Case numbers unique ignoring case (DESIGN §5): "lko/ami/1" is "LKO/AMI/1".

The unique index replaces the plain UPPER(case_number) index of 0002 (the
public lookup uses it the same way). Before building it, the cases whose
numbers differ only in capitals are listed: the migration stops with that
list, changing nothing, instead of failing on the index with no word of
which cases clash. Merge or renumber them (in the admin, audited), then run
``migrate`` again.
"""

import django.db.models.functions.text
from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Upper

SHOWN = 50


def clashing_case_numbers(TheftCase) -> dict[str, list[tuple]]:
    """Return UPPER(number) → [(number, id, sub-division code), …] for each clash."""
    keys = list(
        TheftCase.objects.annotate(key=Upper("case_number")).values("key")
        .annotate(n=Count("id")).filter(n__gt=1).order_by("key").values_list("key", flat=True)
    )
    clashes: dict[str, list[tuple]] = {}
    for start in range(0, len(keys), 1000):
        rows = (TheftCase.objects.annotate(key=Upper("case_number"))
                .filter(key__in=keys[start:start + 1000]).order_by("key", "id")
                .values_list("key", "case_number", "id", "sub_division__code"))
        for key, number, pk, unit in rows:
            clashes.setdefault(key, []).append((number, pk, unit))
    return clashes


def refuse_clashes(apps, schema_editor):
    clashes = clashing_case_numbers(apps.get_model("theft_cases", "TheftCase"))
    if not clashes:
        return
    lines = [
        f"  {key}: " + ", ".join(f"{number!r} (id {pk}, {unit})" for number, pk, unit in rows)
        for key, rows in list(clashes.items())[:SHOWN]
    ]
    if len(clashes) > SHOWN:
        lines.append(f"  … and {len(clashes) - SHOWN} more")
    raise CommandError(
        f"{len(clashes)} case number(s) differ only in capitals, so case numbers cannot "
        "be made unique ignoring case (DESIGN §5). Nothing was changed. Merge or renumber "
        "these cases, then run migrate again:\n" + "\n".join(lines)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('theft_cases', '0004_case_change_feed_index'),
    ]

    operations = [
        migrations.RunPython(refuse_clashes, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(
            model_name='theftcase',
            name='theftcase_case_number_upper',
        ),
        migrations.AddConstraint(
            model_name='theftcase',
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper('case_number'),
                name='theftcase_case_number_upper_uniq',
            ),
        ),
    ]
