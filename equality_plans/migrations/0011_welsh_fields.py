"""Each text a council writes gets a Welsh and an English column beside the original; the
English column starts with the text written so far, so nothing reads differently after the
upgrade."""

from django.db import migrations, models
from django.db.models import F

WRITTEN = {
    "ActionPlan": ("title", "goal", "description"),
    "Section": ("title",),
    "Objective": ("title",),
    "Action": ("wording", "outcome", "measurable_target"),
    "Assessment": ("title", "decision", "justification"),
}


def copy_into_english(apps, schema_editor):
    for model_name, fields in WRITTEN.items():
        model = apps.get_model("equality_plans", model_name)
        model.objects.update(**{f"{field}_en_gb": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [
        ("equality_plans", "0010_translatable_labels"),
        ("sla_monitor", "0023_language_choice"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="measurable_target_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="measurable_target_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="outcome_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="outcome_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="wording_cy",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="wording_en_gb",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="description_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="description_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="goal_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="goal_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="title_cy",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="title_en_gb",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.AddField(
            model_name="assessment",
            name="decision_cy",
            field=models.TextField(null=True, verbose_name="the decision it informs"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="decision_en_gb",
            field=models.TextField(null=True, verbose_name="the decision it informs"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="justification_cy",
            field=models.TextField(
                blank=True,
                null=True,
                verbose_name="why the policy continues despite adverse impact",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="justification_en_gb",
            field=models.TextField(
                blank=True,
                null=True,
                verbose_name="why the policy continues despite adverse impact",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="title_cy",
            field=models.CharField(max_length=250, null=True, verbose_name="what is assessed"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="title_en_gb",
            field=models.CharField(max_length=250, null=True, verbose_name="what is assessed"),
        ),
        migrations.AddField(
            model_name="objective",
            name="title_cy",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="objective",
            name="title_en_gb",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="section",
            name="title_cy",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.AddField(
            model_name="section",
            name="title_en_gb",
            field=models.CharField(max_length=250, null=True),
        ),
        migrations.RunPython(copy_into_english, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="actionplan",
            constraint=models.UniqueConstraint(
                fields=("owner", "title_en_gb"), name="plan_title_unique_per_owner-en-gb"
            ),
        ),
        migrations.AddConstraint(
            model_name="actionplan",
            constraint=models.UniqueConstraint(
                fields=("owner", "title_cy"), name="plan_title_unique_per_owner-cy"
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.UniqueConstraint(
                fields=("plan", "title_en_gb"), name="section_title_unique_per_plan-en-gb"
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.UniqueConstraint(
                fields=("plan", "title_cy"), name="section_title_unique_per_plan-cy"
            ),
        ),
    ]
