"""The nine protected characteristics of the Equality Act 2010 as a table, and which of them each
strand names (in place of a yes/no "is a protected characteristic", which could not say that G
names both sex and gender reassignment); and when a progress update was last corrected."""

from django.db import migrations, models

# The Act's nine, in its order (section 4).
CHARACTERISTICS = [
    ("age", "Age"),
    ("disability", "Disability"),
    ("gender-reassignment", "Gender reassignment"),
    ("marriage-civil-partnership", "Marriage and civil partnership"),
    ("pregnancy-maternity", "Pregnancy and maternity"),
    ("race", "Race"),
    ("religion-belief", "Religion or belief"),
    ("sex", "Sex"),
    ("sexual-orientation", "Sexual orientation"),
]
# The codes plans write (seed 004's key) and what each names.
BY_CODE = {
    "A": ["age"],
    "D": ["disability"],
    "G": ["sex", "gender-reassignment"],
    "S": ["sex"],
    "GR": ["gender-reassignment"],
    "M/CP": ["marriage-civil-partnership"],
    "P/M": ["pregnancy-maternity"],
    "R": ["race"],
    "RB": ["religion-belief"],
    "SO": ["sexual-orientation"],
}


def name_the_characteristics(apps, schema_editor):
    Characteristic = apps.get_model("equality_plans", "ProtectedCharacteristic")
    Strand = apps.get_model("equality_plans", "EqualityStrand")
    characteristics = {
        code: Characteristic.objects.create(code=code, name=name, order=order)
        for order, (code, name) in enumerate(CHARACTERISTICS, start=1)
    }
    by_name = {c.name.lower(): c for c in characteristics.values()}
    for strand in Strand.objects.all():
        if strand.code.upper() in BY_CODE:
            named = [characteristics[c] for c in BY_CODE[strand.code.upper()]]
        elif strand.is_protected_characteristic and strand.name.lower() in by_name:
            # A strand added in the administration under its characteristic's own name.
            named = [by_name[strand.name.lower()]]
        else:
            named = []
        strand.characteristics.set(named)


def flag_the_protected(apps, schema_editor):
    Strand = apps.get_model("equality_plans", "EqualityStrand")
    for strand in Strand.objects.all():
        strand.is_protected_characteristic = strand.characteristics.exists()
        strand.save(update_fields=["is_protected_characteristic"])


class Migration(migrations.Migration):
    dependencies = [
        ("equality_plans", "0004_constraint_messages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProtectedCharacteristic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100)),
                ("order", models.PositiveSmallIntegerField(default=1)),
            ],
            options={
                "ordering": ["order", "name"],
            },
        ),
        migrations.AddField(
            model_name="equalitystrand",
            name="characteristics",
            field=models.ManyToManyField(
                blank=True,
                help_text=(
                    "The protected characteristics an action tagged with this strand addresses."
                ),
                related_name="strands",
                to="equality_plans.protectedcharacteristic",
            ),
        ),
        migrations.RunPython(name_the_characteristics, flag_the_protected),
        migrations.RemoveField(
            model_name="equalitystrand",
            name="is_protected_characteristic",
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="corrected_at",
            field=models.DateTimeField(
                blank=True, help_text="When its author last corrected it.", null=True
            ),
        ),
    ]
