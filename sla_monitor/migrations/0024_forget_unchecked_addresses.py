from django.db import migrations


def forget_unchecked_addresses(apps, schema_editor):
    """allauth's password reset recorded the address a reset was asked for as an unchecked
    address of the person's, whoever asked (sla_monitor.accounts.PasswordResetTokens no longer
    does). Each such row kept council staff from setting up an authenticator app, and outlived
    an administrator's change of the address, so that the old address could still be sent a
    reset. Nothing else here records an unchecked address: nobody adds one themselves."""
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.filter(verified=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("sla_monitor", "0023_language_choice"),
    ]

    operations = [
        migrations.RunPython(forget_unchecked_addresses, migrations.RunPython.noop),
    ]
