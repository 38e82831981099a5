"""The conversation on a return: a flag is the start of a thread on its answer; the provider
replies beside the answer or changes it; the officer sees whether it changed and resolves it;
a resubmission that leaves flagged answers as they were, unanswered, is confirmed first."""

import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from grants import selectors, services
from grants.models import AnswerFlag, Message, QuarterlyReturn
from sla_monitor import inbox
from sla_monitor.models import Notification
from sla_monitor.once import AlreadySent
from tests.grants.test_return_review import card
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db
Status = QuarterlyReturn.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sent_back(funded, comment="The log shows 6 groups."):
    """A submitted return sent back with indicator c flagged; the flag."""
    quarterly_return = funded.submitted()
    indicator = funded.indicators["per_quarter"]
    services.request_changes(
        quarterly_return=quarterly_return,
        by=funded.officer,
        comment="Please check indicator c.",
        flags={f"indicator:{indicator.pk}": comment},
    )
    quarterly_return.refresh_from_db()
    return quarterly_return, quarterly_return.flags.get()


def reply(funded, flag, body="The log was wrong: 4 is right.", **kwargs):
    return services.send_message(
        by=kwargs.pop("by", funded.provider_user),
        body=body,
        token=kwargs.pop("token", uuid.uuid4()),
        flag=flag,
        **kwargs,
    )


def change_answer(funded, quarterly_return, value):
    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=funded.indicators["per_quarter"],
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal(value),
    )


# Flags --------------------------------------------------------------------------------------


def test_a_flag_keeps_the_answer_as_it_was_flagged_and_stays_open_until_cleared(funded):
    quarterly_return, flag = sent_back(funded)

    assert flag.is_open
    assert flag.raised_by == funded.officer
    assert flag.label == "Indicator c"
    assert flag.answer_when_raised["actual"] == "4"
    detail = selectors.return_detail(quarterly_return)
    row = next(r for r in detail.indicator_rows if r.key == flag.answer_key)
    assert row.flag.unchanged and not row.flag.answered
    assert row.status == "Change requested"


def test_changing_the_flagged_answer_clears_the_flag(funded):
    quarterly_return, flag = sent_back(funded)

    change_answer(funded, quarterly_return, "6")

    flag.refresh_from_db()
    assert not flag.is_open
    assert flag.cleared_because == AnswerFlag.Cleared.CHANGED
    assert flag.cleared_by == funded.provider_user


def test_saving_the_flagged_answer_unchanged_keeps_the_flag(funded):
    quarterly_return, flag = sent_back(funded)

    change_answer(funded, quarterly_return, "4")

    flag.refresh_from_db()
    assert flag.is_open


def test_removing_the_flagged_answers_evidence_is_a_change(funded):
    quarterly_return = funded.start()
    indicator = funded.indicators["per_quarter"]
    funded.complete(quarterly_return)
    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=indicator,
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("4"),
        evidence=[SimpleUploadedFile("log.pdf", PDF, content_type="application/pdf")],
    )
    services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)
    services.request_changes(
        quarterly_return=quarterly_return,
        by=funded.officer,
        comment="Check the file.",
        flags={f"indicator:{indicator.pk}": "This is last year's log."},
    )

    services.remove_evidence(
        evidence=quarterly_return.evidence_files.get(),
        by=funded.provider_user,
        expected_version=None,
    )

    assert not quarterly_return.flags.open().exists()


def test_an_officer_resolves_a_flag_once_with_a_word_in_its_thread(funded):
    _quarterly_return, flag = sent_back(funded)
    token = uuid.uuid4()

    services.resolve_flag(
        flag=flag, by=funded.officer, comment="4 is right, thank you.", token=token
    )

    flag.refresh_from_db()
    assert flag.cleared_because == AnswerFlag.Cleared.RESOLVED
    assert flag.cleared_by == funded.officer
    assert [m.body for m in flag.messages.all()] == ["4 is right, thank you."]
    with pytest.raises(services.FlagStateError, match="already resolved by"):
        services.resolve_flag(flag=flag, by=funded.officer, token=uuid.uuid4())


def test_resolving_a_flag_twice_with_the_same_form_is_refused(funded):
    quarterly_return, flag = sent_back(funded)
    other = funded.indicators["narrative"]
    token = uuid.uuid4()
    services.resolve_flag(flag=flag, by=funded.officer, token=token)
    second = AnswerFlag.objects.create(
        quarterly_return=quarterly_return,
        answer_key=f"indicator:{other.pk}",
        label="Indicator n",
        comment="More detail.",
        raised_by=funded.officer,
    )

    with pytest.raises(AlreadySent):
        services.resolve_flag(flag=second, by=funded.officer, token=token)
    second.refresh_from_db()
    assert second.is_open


def test_only_the_funders_lead_officers_resolve_flags(funded):
    _, flag = sent_back(funded)

    for person in (funded.provider_user, funded.other_officer, funded.other_provider_user):
        with pytest.raises(PermissionDenied):
            services.resolve_flag(flag=flag, by=person, token=uuid.uuid4())
    flag.refresh_from_db()
    assert flag.is_open


def test_approving_resolves_the_flags_still_open(funded):
    quarterly_return, flag = sent_back(funded)
    services.submit_return(
        quarterly_return=quarterly_return, by=funded.provider_user, confirm_left_as_flagged=True
    )

    services.approve_return(quarterly_return=quarterly_return, by=funded.officer)

    flag.refresh_from_db()
    assert flag.cleared_because == AnswerFlag.Cleared.RESOLVED
    assert flag.cleared_by == funded.officer


def test_flagging_an_answer_still_flagged_adds_to_its_thread(funded):
    quarterly_return, flag = sent_back(funded)
    services.submit_return(
        quarterly_return=quarterly_return, by=funded.provider_user, confirm_left_as_flagged=True
    )

    services.request_changes(
        quarterly_return=quarterly_return,
        by=funded.officer,
        comment="Still to do.",
        flags={flag.answer_key: "Please look at the log again."},
    )

    assert quarterly_return.flags.count() == 1
    assert [m.body for m in flag.messages.all()] == ["Please look at the log again."]


# Resubmitting ---------------------------------------------------------------------------------


def test_resubmitting_with_a_flagged_answer_unchanged_and_unanswered_asks_to_confirm(funded):
    quarterly_return, flag = sent_back(funded)

    with pytest.raises(services.LeftAsFlaggedError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    assert [f.pk for f in refused.value.flags] == [flag.pk]
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.CHANGES_REQUESTED
    services.submit_return(
        quarterly_return=quarterly_return, by=funded.provider_user, confirm_left_as_flagged=True
    )
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED
    flag.refresh_from_db()
    assert flag.is_open


def test_a_reply_to_the_flag_is_enough_to_resubmit_without_confirming(funded):
    quarterly_return, flag = sent_back(funded)
    reply(funded, flag)

    services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED


# Messages -------------------------------------------------------------------------------------


def test_a_message_is_sent_once_however_often_its_form_is_sent(funded):
    _, flag = sent_back(funded)
    token = uuid.uuid4()
    reply(funded, flag, token=token)

    with pytest.raises(AlreadySent):
        reply(funded, flag, token=token)

    assert flag.messages.count() == 1


def test_an_empty_message_is_refused_beside_its_field(funded):
    _, flag = sent_back(funded)

    with pytest.raises(ValidationError) as refused:
        reply(funded, flag, body="   ")

    assert refused.value.message_dict == {"body": ["Enter your message"]}
    assert not Message.objects.exists()


def test_only_the_two_parties_write_in_a_conversation(funded):
    _, flag = sent_back(funded)

    for person in (funded.other_officer, funded.other_provider_user):
        with pytest.raises(PermissionDenied):
            reply(funded, flag, by=person)
        with pytest.raises(PermissionDenied):
            services.send_message(
                by=person, body="Hello", token=uuid.uuid4(), agreement=funded.agreement
            )
    assert not Message.objects.exists()


def test_a_file_that_is_not_what_it_says_sends_nothing(funded):
    _, flag = sent_back(funded)
    fake = SimpleUploadedFile("log.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        reply(funded, flag, attachments=[fake])

    assert "attachments" in refused.value.message_dict
    assert not Message.objects.exists()


# Pages ----------------------------------------------------------------------------------------


def test_the_officer_sees_the_flag_unchanged_with_their_comment_and_the_reply(funded, client):
    quarterly_return, flag = sent_back(funded)
    reply(funded, flag, body="We counted 4 groups; the log lists a cancelled one.")
    services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[quarterly_return.pk])).content.decode()

    day = date_format(timezone.localtime(flag.raised_at), "j F Y")
    beside = card(html, f"indicator-{funded.indicators['per_quarter'].pk}")
    assert f"Unchanged since you flagged it on {day}." in beside
    assert "The log shows 6 groups." in beside
    assert "We counted 4 groups; the log lists a cancelled one." in beside
    assert "Resolve the flag" in beside
    assert "Resubmitted: this is submission 2 of this return" in html
    assert "No answer changed since the return was sent back." in html
    assert f"unchanged since you flagged it on {day}, with a reply from the provider" in html


def test_the_provider_sees_change_requested_not_completed_on_its_task_list(funded, client):
    quarterly_return, _flag = sent_back(funded)
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:return_detail", args=[quarterly_return.pk])).content.decode()

    status = re.search(
        rf'id="task-status-{funded.indicators["per_quarter"].pk}">(.*?)</span>\s*</li>', html, re.S
    ).group(1)
    assert "Change requested" in status
    assert "Completed" not in status


def test_the_provider_replies_beside_the_answer_and_comes_back_to_it(funded, client):
    quarterly_return, flag = sent_back(funded)
    client.force_login(funded.provider_user)
    page = reverse(
        "grants:indicator_answer", args=[quarterly_return.pk, funded.indicators["per_quarter"].pk]
    )
    html = client.get(page).content.decode()
    assert "Your reply about Indicator c" in html
    # An optional question says so once: the template pack adds the words, the labels do not.
    assert "Comments (optional)" in html
    assert "Attach files (optional)" in html
    assert "(optional) (optional)" not in html
    token = re.search(rf'name="flag-{flag.pk}-once" value="([^"]+)"', html).group(1)
    assert f'name="next" value="{page}#flag-{flag.pk}"' in html

    response = client.post(
        reverse("grants:flag_thread", args=[quarterly_return.pk, flag.pk]),
        {
            f"flag-{flag.pk}-body": "4 is right.",
            f"flag-{flag.pk}-once": token,
            f"flag-{flag.pk}-attachments": SimpleUploadedFile(
                "log.pdf", PDF, content_type="application/pdf"
            ),
            "next": f"{page}#flag-{flag.pk}",
        },
    )

    assert response.status_code == 302
    assert response.url == f"{page}#flag-{flag.pk}"
    message = flag.messages.get()
    assert message.author == funded.provider_user
    assert message.attachments.get().original_name == "log.pdf"
    html = client.get(page).content.decode()
    assert "4 is right." in html
    download = reverse("grants:message_attachment", args=[message.attachments.get().pk])
    assert download in html


def test_a_message_with_an_error_comes_back_with_it_beside_the_field(funded, client):
    quarterly_return, flag = sent_back(funded)
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:flag_thread", args=[quarterly_return.pk, flag.pk]),
        {f"flag-{flag.pk}-body": "", f"flag-{flag.pk}-once": str(uuid.uuid4())},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert f'<a href="#id_flag-{flag.pk}-body">Enter your message</a>' in html
    assert f'id="id_flag-{flag.pk}-body_error"' in html
    assert "The log shows 6 groups." in html


def test_a_message_to_another_councils_return_is_not_found(funded, client):
    quarterly_return, flag = sent_back(funded)
    client.force_login(funded.other_officer)

    response = client.post(
        reverse("grants:flag_thread", args=[quarterly_return.pk, flag.pk]),
        {f"flag-{flag.pk}-body": "Hello", f"flag-{flag.pk}-once": str(uuid.uuid4())},
    )

    assert response.status_code == 404
    assert not Message.objects.exists()


def test_submitting_with_a_flag_left_as_it_was_asks_to_confirm_on_the_check_page(funded, client):
    quarterly_return, _flag = sent_back(funded)
    client.force_login(funded.provider_user)
    check = reverse("grants:check_answers", args=[quarterly_return.pk])

    response = client.post(check, {"version": quarterly_return.version})

    html = response.content.decode()
    assert 'href="#confirm_left_as_flagged"' in html
    assert "I am submitting these answers unchanged on purpose" in html
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.CHANGES_REQUESTED

    response = client.post(
        check, {"version": quarterly_return.version, "confirm_left_as_flagged": "yes"}
    )
    assert response.status_code == 302
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED


def test_the_officer_resolves_from_the_review_page_with_what_they_wrote(funded, client):
    quarterly_return, flag = sent_back(funded)
    client.force_login(funded.officer)
    page = reverse("grants:return_detail", args=[quarterly_return.pk])
    html = client.get(page).content.decode()
    token = re.search(rf'name="flag-{flag.pk}-once" value="([^"]+)"', html).group(1)
    resolve = reverse("grants:flag_resolve", args=[quarterly_return.pk, flag.pk])
    assert f'formaction="{resolve}"' in html
    back = f"{page}#flag-{flag.pk}"
    assert f'name="next" value="{back}"' in html
    sent = {f"flag-{flag.pk}-once": token, f"flag-{flag.pk}-body": "4 stands.", "next": back}

    first = client.post(resolve, sent)
    again = client.post(resolve, sent, follow=True)

    assert first.status_code == 302
    assert first.url == back
    flag.refresh_from_db()
    assert flag.cleared_because == AnswerFlag.Cleared.RESOLVED
    assert [m.body for m in flag.messages.all()] == ["4 stands."]
    assert "The flag on Indicator c was already resolved by" in again.content.decode()


def test_a_reply_to_a_flag_cleared_since_the_page_was_opened_is_refused(funded, client):
    quarterly_return, flag = sent_back(funded)
    services.resolve_flag(flag=flag, by=funded.officer, token=uuid.uuid4())
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:flag_thread", args=[quarterly_return.pk, flag.pk]),
        {f"flag-{flag.pk}-body": "Too late?", f"flag-{flag.pk}-once": str(uuid.uuid4())},
        follow=True,
    )

    assert "The flag on Indicator c was already resolved by" in response.content.decode()
    assert not flag.messages.exists()


@pytest.mark.parametrize("back", ["foo", "#messages", "?a=1", "home", "//evil.example/", "/\\x"])
def test_a_page_to_return_to_that_is_not_a_path_goes_to_the_thread(funded, client, back):
    quarterly_return, _flag = sent_back(funded)
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:return_messages", args=[quarterly_return.pk]),
        {"return-body": "Hello", "return-once": str(uuid.uuid4()), "next": back},
    )

    assert response.status_code == 302
    assert response.url == reverse("grants:return_messages", args=[quarterly_return.pk]) + (
        "#messages"
    )


def test_a_flag_of_a_return_id_beyond_the_database_is_not_found(funded, client):
    _, flag = sent_back(funded)
    client.force_login(funded.officer)

    response = client.get(f"/returns/{10**20}/flags/{flag.pk}/")

    assert response.status_code == 404


def test_those_who_read_but_do_not_write_are_refused_before_their_form_is_read(funded, client):
    quarterly_return, flag = sent_back(funded)
    client.force_login(funded.provider_user)
    resolve = reverse("grants:flag_resolve", args=[quarterly_return.pk, flag.pk])

    assert client.post(resolve, {}).status_code == 403


def test_line_breaks_count_once_and_invisible_characters_are_not_a_message(funded):
    _, flag = sent_back(funded)
    lines = "\r\n".join(["x" * 99] * 50)  # 4,950 letters and 49 line breaks

    reply(funded, flag, body=lines)
    with pytest.raises(ValidationError, match="Enter your message"):
        reply(funded, flag, body="\u00a0\u2003\u200b")

    assert flag.messages.get().body == lines.replace("\r\n", "\n")


def test_the_history_and_the_pdf_hold_the_conversation(funded, client):
    quarterly_return, flag = sent_back(funded)
    reply(funded, flag, body="We counted 4 groups.")
    services.send_message(
        by=funded.officer,
        body="Thanks, resubmit when ready.",
        token=uuid.uuid4(),
        quarterly_return=quarterly_return,
    )
    change_answer(funded, quarterly_return, "6")
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[quarterly_return.pk])).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "Message about the flag on Indicator c" in history
    assert "Message about the return" in history
    assert "Flag on Indicator c cleared: the answer was changed" in history

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[quarterly_return.pk])))
    assert "Conversation" in text
    assert "The log shows 6 groups." in text
    assert "We counted 4 groups." in text
    assert "Thanks, resubmit when ready." in text


def test_the_agreement_page_has_its_own_thread(funded, client):
    client.force_login(funded.provider_user)
    page = reverse("grants:agreement_detail", args=[funded.agreement.pk])
    html = client.get(page).content.decode()
    token = re.search(r'name="agreement-once" value="([^"]+)"', html).group(1)

    response = client.post(
        reverse("grants:agreement_messages", args=[funded.agreement.pk]),
        {"agreement-body": "Our new manager starts in May.", "agreement-once": token, "next": page},
    )

    assert response.status_code == 302
    assert response.url == page
    client.force_login(funded.officer)
    assert "Our new manager starts in May." in client.get(page).content.decode()
    client.force_login(funded.other_officer)
    assert client.get(page).status_code == 404


# Who hears of a message ---------------------------------------------------------------------


def test_each_message_lands_in_the_other_sides_inbox_and_nobody_elses(
    funded, mailoutbox, django_capture_on_commit_callbacks
):
    _, flag = sent_back(funded)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reply(funded, flag, body="4 is right: one group met twice.")

    officer_inbox = Notification.objects.filter(recipient=funded.officer, kind="message")
    assert officer_inbox.count() == 1
    note = officer_inbox.get()
    assert note.link == reverse("grants:flag_thread", args=[flag.quarterly_return_id, flag.pk])
    assert "Indicator c" in str(inbox.sentence(note))
    assert not Notification.objects.filter(
        kind="message", recipient__in=[funded.provider_user, funded.other_officer]
    ).exists()
    (email,) = [m for m in mailoutbox if funded.officer.email in m.to]
    assert "4 is right: one group met twice." in email.body

    with django_capture_on_commit_callbacks(execute=True):
        reply(funded, flag, by=funded.officer, body="Thank you.")

    assert Notification.objects.filter(recipient=funded.provider_user, kind="message").count() == 1
    assert not Notification.objects.filter(
        kind="message", recipient=funded.other_provider_user
    ).exists()
