"""Words of django-allauth that people read in SLA Monitor, for the project's catalogue to carry.

django-allauth ships no Welsh catalogue, so its words would stay English on the Welsh sign-in,
two-factor and password pages. Django looks a message up in the project's own catalogue
(LOCALE_PATHS) before an app's, so a msgid listed here and translated in
locale/cy/LC_MESSAGES/django.po is shown in Welsh wherever allauth asks for it.

Only the words this configuration lets a person reach are listed, exactly as allauth writes them
(tests/sla_monitor/test_third_party_text.py fails when allauth renames one). Most of allauth's
words never reach anyone: its pages, e-mails and messages are the project's own templates, and its
forms' labels and refusals are reworded in sla_monitor/forms.py and sla_monitor/accounts.py. Django
ships Welsh for its own words, and django-filter's own words never show: every filter is labelled,
and each choice list names its own empty choice.

Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

ALLAUTH_TEXT = (
    # A new password and its confirmation differ (changing, setting or resetting a password).
    gettext_noop("You must type the same password each time."),
    # Stopping signing in through the council's sign-in, for someone who has no password.
    gettext_noop("Your account has no password set up."),
    # Setting up an authenticator app while allauth holds the person's address as unchecked,
    # which it does once the address has had a password reset sent to it.
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
)
