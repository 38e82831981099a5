"""Each text a council writes gets a Welsh and an English column beside the original; the
English column starts with the text written so far, so nothing reads differently after the
upgrade."""

from django.db import migrations, models
from django.db.models import F

WRITTEN = {
    "Fund": ("name", "description"),
    "FundTheme": ("name", "description"),
    "Agreement": ("title", "purpose", "outcome", "payment_terms"),
    "AgreementObjective": ("text",),
    "MinimumRequirement": ("text",),
    "PerformanceIndicator": ("wording",),
    "InKindContribution": ("description",),
    "AddedValue": ("text",),
}


def copy_into_english(apps, schema_editor):
    for model_name, fields in WRITTEN.items():
        model = apps.get_model("grants", model_name)
        model.objects.update(**{f"{field}_en_gb": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0022_stored_figures"),
        ("sla_monitor", "0023_language_choice"),
    ]

    operations = [
        migrations.AddField(
            model_name="addedvalue",
            name="text_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="addedvalue",
            name="text_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="outcome_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="outcome_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="purpose_cy",
            field=models.TextField(
                blank=True,
                help_text="What the grant is for, in a sentence or two, as published.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="payment_terms_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="payment_terms_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="purpose_en_gb",
            field=models.TextField(
                blank=True,
                help_text="What the grant is for, in a sentence or two, as published.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="title_cy",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="title_en_gb",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.AddField(
            model_name="agreementobjective",
            name="text_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="agreementobjective",
            name="text_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="fund",
            name="description_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="fund",
            name="description_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="fund",
            name="name_cy",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="fund",
            name="name_en_gb",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="fundtheme",
            name="description_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="fundtheme",
            name="description_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="fundtheme",
            name="name_cy",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="fundtheme",
            name="name_en_gb",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="inkindcontribution",
            name="description_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="inkindcontribution",
            name="description_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="minimumrequirement",
            name="text_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="minimumrequirement",
            name="text_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="performanceindicator",
            name="wording_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="performanceindicator",
            name="wording_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(copy_into_english, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="fund",
            constraint=models.UniqueConstraint(
                fields=("council", "name_en_gb"), name="fund_name_unique_per_council-en-gb"
            ),
        ),
        migrations.AddConstraint(
            model_name="fund",
            constraint=models.UniqueConstraint(
                fields=("council", "name_cy"), name="fund_name_unique_per_council-cy"
            ),
        ),
    ]
