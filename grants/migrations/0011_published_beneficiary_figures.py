"""The published beneficiary figures: each return's counts rounded to multiples of 5 at random
(`sla_monitor.suppression`), stored beside the counts as entered. Figures already saved are
rounded here as the service rounds them when a provider saves."""

import django.db.models.expressions
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

from sla_monitor import suppression
from sla_monitor.equality import CHARACTERISTICS


def publish_saved_figures(apps, schema_editor):
    BeneficiaryFigures = apps.get_model("grants", "BeneficiaryFigures")
    BeneficiaryCount = apps.get_model("grants", "BeneficiaryCount")
    key = suppression.rounding_key(settings.SECRET_KEY)
    known = {c.code: c.codes for c in CHARACTERISTICS}
    for figures in BeneficiaryFigures.objects.order_by("pk").iterator():
        counts = list(figures.counts.all())
        given = {}
        for row in counts:
            given.setdefault(row.characteristic, {})[row.category] = row.count
        # Each characteristic's categories in their fixed order; any no longer among them after.
        order = {
            code: [*known.get(code, ()), *sorted(set(cells) - set(known.get(code, ())))]
            for code, cells in given.items()
        }
        rounded = suppression.publish_return(
            figures.people_reached,
            {code: [given[code].get(c, 0) for c in categories] for code, categories in order.items()},
            key=key,
            return_id=figures.quarterly_return_id,
        )
        published = {
            (code, category): cell
            for code, categories in order.items()
            for category, cell in zip(categories, rounded.counts[code], strict=True)
        }
        figures.people_reached_published = rounded.people
        figures.save(update_fields=["people_reached_published"])
        for row in counts:
            row.published = published[(row.characteristic, row.category)]
        BeneficiaryCount.objects.bulk_update(counts, ["published"])


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0010_organisation_diversity"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiaryfigures",
            name="people_reached_published",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The people reached as anyone but the provider reads them: rounded to a multiple of 5 when the figures were saved.",
                verbose_name="people reached, as published",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="beneficiarycount",
            name="published",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The count as anyone but the provider reads it: rounded to a multiple of 5 when the figures were saved.",
                verbose_name="count, as published",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(publish_saved_figures, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='beneficiarycount',
            constraint=models.CheckConstraint(condition=models.Q(('published__gte', 0), django.db.models.lookups.Exact(django.db.models.expressions.CombinedExpression(models.F('published'), '%%', models.Value(5)), 0)), name='beneficiary_count_published_rounded', violation_error_message='A published count must be a multiple of 5, not below 0.'),
        ),
        migrations.AddConstraint(
            model_name='beneficiaryfigures',
            constraint=models.CheckConstraint(condition=models.Q(('people_reached_published__gte', 0), django.db.models.lookups.Exact(django.db.models.expressions.CombinedExpression(models.F('people_reached_published'), '%%', models.Value(5)), 0)), name='beneficiaries_reached_published_rounded', violation_error_message='People reached, as published, must be a multiple of 5, not below 0.'),
        ),
    ]
