"""Questions a fund adds to its returns: answered as a draft, each in a field of its type;
required ones asked for before submitting; flagged in review; in the PDF, the export and the
history; and never changed in a submitted return by a later change to the question."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from grants import selectors, services
from grants.models import AnswerFlag, FundQuestion, QuestionAnswer
from grants.selectors.questions import QuestionRow
from tests.factories import FundFactory, UserFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Kind = FundQuestion.Kind


@pytest.fixture
def asking(funded):
    """The agreement's fund asks one question of every kind; the whole number and the yes/no
    are required."""
    fund = FundFactory(council=funded.agreement.funder, name="Community Cohesion Fund")
    funded.agreement.fund = fund
    funded.agreement.save(update_fields=["fund"])
    kinds = [
        (Kind.WHOLE_NUMBER, "How many volunteers helped this quarter?", True, ""),
        (Kind.LONG_TEXT, "Describe one story of change", False, ""),
        (Kind.YES_NO, "Has your safeguarding policy been reviewed this year?", True, ""),
        (Kind.SHORT_TEXT, "Who is your safeguarding lead?", False, ""),
        (Kind.MONEY, "How much match funding did you raise?", False, ""),
        (Kind.CHOICE, "Where did most of the work happen?", False, "Kettering\nCorby"),
        (Kind.DATE, "When did your board last meet?", False, ""),
        (Kind.FILE, "Attach your latest accounts", False, ""),
    ]
    funded.questions = {
        kind: FundQuestion.objects.create(
            fund=fund,
            order=number,
            wording=wording,
            kind=kind,
            required=required,
            choices=choices,
            help_text=f"Help for {wording}",
        )
        for number, (kind, wording, required, choices) in enumerate(kinds, start=1)
    }
    funded.fund = fund
    return funded


def url(qr):
    return reverse("grants:question_answers", args=[qr.pk])


def field(asking, kind) -> str:
    return f"question_{asking.questions[kind].pk}"


def every_answer(asking) -> dict:
    return {
        field(asking, Kind.WHOLE_NUMBER): "12",
        field(asking, Kind.LONG_TEXT): "A resident joined the steering group.",
        field(asking, Kind.YES_NO): "yes",
        field(asking, Kind.SHORT_TEXT): "Sam Patel",
        field(asking, Kind.MONEY): "1250.50",
        field(asking, Kind.CHOICE): "Corby",
        f"{field(asking, Kind.DATE)}_day": "14",
        f"{field(asking, Kind.DATE)}_month": "5",
        f"{field(asking, Kind.DATE)}_year": "2025",
    }


def answer(qr, asking, kind) -> QuestionAnswer:
    return QuestionAnswer.objects.get(quarterly_return=qr, question=asking.questions[kind])


def answer_required(asking, qr):
    services.save_question_answers(
        quarterly_return=qr,
        by=asking.provider_user,
        expected_version=None,
        answers={
            asking.questions[Kind.WHOLE_NUMBER].pk: 12,
            asking.questions[Kind.YES_NO].pk: True,
        },
    )
    qr.refresh_from_db()


def submitted(asking, quarter=1):
    qr = asking.complete(asking.start(quarter))
    answer_required(asking, qr)
    return services.submit_return(quarterly_return=qr, by=asking.provider_user)


# Answering -----------------------------------------------------------------------------------


def test_each_kind_of_question_keeps_its_answer_typed(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)
    file_field = field(asking, Kind.FILE)
    accounts = SimpleUploadedFile("accounts.pdf", PDF, content_type="application/pdf")

    response = client.post(
        url(qr), {"version": qr.version, **every_answer(asking), file_field: accounts}
    )

    assert response.status_code == 302
    assert answer(qr, asking, Kind.WHOLE_NUMBER).number == Decimal("12")
    assert answer(qr, asking, Kind.LONG_TEXT).text == "A resident joined the steering group."
    assert answer(qr, asking, Kind.YES_NO).yes_no is True
    assert answer(qr, asking, Kind.SHORT_TEXT).text == "Sam Patel"
    assert answer(qr, asking, Kind.MONEY).number == Decimal("1250.50")
    assert answer(qr, asking, Kind.CHOICE).choice == "Corby"
    assert answer(qr, asking, Kind.DATE).date == dt.date(2025, 5, 14)
    files = answer(qr, asking, Kind.FILE).evidence_files.all()
    assert [f.original_name for f in files] == ["accounts.pdf"]


def test_the_page_asks_each_question_with_its_help_and_marks_the_optional_ones(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)

    html = client.get(url(qr)).content.decode()

    assert "<h1>Questions from the fund</h1>" in html
    assert "Help for Describe one story of change" in html
    assert "Describe one story of change (optional)" in html
    assert "How many volunteers helped this quarter? (optional)" not in html
    choice = field(asking, Kind.CHOICE)
    assert f'type="radio" name="{choice}" value="Kettering"' in html
    assert f'id="id_{field(asking, Kind.DATE)}_day"' in html


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (Kind.WHOLE_NUMBER, {"": "lots"}, "Enter the answer as a whole number, like 12"),
        (Kind.WHOLE_NUMBER, {"": "2.5"}, "Enter the answer as a whole number, like 12"),
        (Kind.MONEY, {"": "£12"}, "Enter the amount in pounds, like 1250 or 1250.50"),
        (Kind.MONEY, {"": "-5"}, "The amount cannot be less than £0"),
        (Kind.SHORT_TEXT, {"": "x" * 501}, "The answer must be 500 characters or fewer"),
        (Kind.LONG_TEXT, {"": "x" * 5001}, "The answer must be 5,000 characters or fewer"),
        (Kind.CHOICE, {"": "Northampton"}, "Choose one of the answers offered"),
        (Kind.YES_NO, {"": "maybe"}, "Select a valid choice"),
        (Kind.DATE, {"_day": "31", "_month": "2", "_year": "2025"}, "must be a real date"),
        (Kind.DATE, {"_day": "3", "_month": "", "_year": "2025"}, "must include a month"),
    ],
)
def test_an_invalid_answer_is_refused_beside_its_field_and_nothing_is_saved(
    asking, client, kind, data, message
):
    qr = asking.start()
    client.force_login(asking.provider_user)
    name = field(asking, kind)
    posted = {f"{name}{suffix}": value for suffix, value in data.items()}

    response = client.post(url(qr), {"version": qr.version, **posted})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert f'id="id_{name}' in html
    assert not QuestionAnswer.objects.filter(quarterly_return=qr).exists()
    qr.refresh_from_db()
    assert qr.version == 1


def test_a_file_of_the_wrong_type_is_refused(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)
    fake = SimpleUploadedFile("accounts.pdf", b"just some text", content_type="application/pdf")

    response = client.post(url(qr), {"version": qr.version, field(asking, Kind.FILE): fake})

    assert "must be a PDF, Word document" in response.content.decode()
    assert not qr.evidence_files.exists()


def test_the_service_refuses_a_choice_not_offered_and_text_for_a_number(asking):
    qr = asking.start()
    for kind, value in [(Kind.CHOICE, "Northampton"), (Kind.WHOLE_NUMBER, "twelve")]:
        with pytest.raises(ValidationError):
            services.save_question_answers(
                quarterly_return=qr,
                by=asking.provider_user,
                expected_version=None,
                answers={asking.questions[kind].pk: value},
            )
    assert not QuestionAnswer.objects.exists()


def test_a_stale_page_is_refused_and_nothing_is_saved(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)

    response = client.post(
        url(qr), {"version": qr.version - 1, field(asking, Kind.SHORT_TEXT): "Sam"}
    )

    assert "has changed since you opened the page" in response.content.decode()
    assert not QuestionAnswer.objects.exists()


def test_only_the_provider_answers_and_a_return_without_questions_has_no_page(
    asking, funded, client
):
    qr = asking.start()
    client.force_login(asking.officer)
    assert client.get(url(qr)).status_code == 403
    client.force_login(asking.other_provider_user)
    assert client.get(url(qr)).status_code == 404
    FundQuestion.objects.update(retired=True)
    client.force_login(asking.provider_user)
    assert client.get(url(qr)).status_code == 404


def test_the_task_list_puts_the_questions_after_the_requirements(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    requirements = html.index("Minimum requirements</a>")
    questions = html.index("Questions from the fund</a>")
    check = html.index("Check your answers and submit")
    assert requirements < questions < check


def test_saving_the_requirements_continues_to_the_questions(asking, client):
    qr = asking.start()
    client.force_login(asking.provider_user)
    data = {"version": qr.version, "save_continue": "1"}

    response = client.post(reverse("grants:requirement_answers", args=[qr.pk]), data)

    assert response["Location"] == url(qr)


# Submitting ----------------------------------------------------------------------------------


def test_a_required_question_must_be_answered_before_submitting(asking, client):
    qr = asking.complete(asking.start())
    client.force_login(asking.provider_user)

    response = client.post(reverse("grants:check_answers", args=[qr.pk]), {"version": qr.version})

    html = response.content.decode()
    number = field(asking, Kind.WHOLE_NUMBER)
    assert f'href="{url(qr)}#id_{number}"' in html
    assert "Answer question 1: How many volunteers helped this quarter?" in html
    assert f'href="{url(qr)}#id_{field(asking, Kind.YES_NO)}_0"' in html
    assert "Describe one story of change" not in html.split("</ul>")[0]
    qr.refresh_from_db()
    assert qr.status == "draft"


def test_optional_questions_may_be_left_and_the_return_submits(asking):
    qr = submitted(asking)

    assert qr.status == "submitted"
    snapshot = qr.submissions.get().answers
    volunteers = snapshot[f"question:{asking.questions[Kind.WHOLE_NUMBER].pk}"]
    assert volunteers["values"]["answer"] == "12"
    assert volunteers["question"]["wording"] == "How many volunteers helped this quarter?"
    story = snapshot[f"question:{asking.questions[Kind.LONG_TEXT].pk}"]
    assert story["values"]["answer"] == ""


def test_check_answers_shows_the_questions_with_change_links(asking, client):
    qr = asking.complete(asking.start())
    answer_required(asking, qr)
    client.force_login(asking.provider_user)

    html = client.get(reverse("grants:check_answers", args=[qr.pk])).content.decode()

    assert "Questions from the fund" in html
    assert "Has your safeguarding policy been reviewed this year?" in html
    assert f'href="{url(qr)}#{field(asking, Kind.YES_NO)}"' in html
    assert "Not answered (optional)" in html


# Review, history, PDF and export -------------------------------------------------------------


def test_the_officer_flags_a_question_and_the_provider_sees_it(asking, client):
    qr = submitted(asking)
    key = f"question:{asking.questions[Kind.WHOLE_NUMBER].pk}"
    slug = key.replace(":", "_")
    client.force_login(asking.officer)
    review = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert "How many volunteers helped this quarter?" in review
    assert f'name="flag_{slug}"' in review

    client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {
            "version": qr.version,
            "decision": "request_changes",
            "comment": "Please check the volunteers.",
            f"flag_{slug}": "on",
            f"flag_comment_{slug}": "Twelve seems low.",
        },
    )

    flag = AnswerFlag.objects.get(quarterly_return=qr)
    assert (flag.answer_key, flag.label, flag.comment) == (key, "Question 1", "Twelve seems low.")
    client.force_login(asking.provider_user)
    task_list = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert "Change requested in Question 1:" in task_list
    page = client.get(url(qr)).content.decode()
    assert "Twelve seems low." in page


def test_a_changed_answer_clears_its_flag_and_shows_in_the_history(asking, client):
    qr = submitted(asking)
    number = asking.questions[Kind.WHOLE_NUMBER]
    services.request_changes(
        quarterly_return=qr,
        by=asking.officer,
        comment="Check it.",
        flags={f"question:{number.pk}": "Twelve seems low."},
    )
    services.save_question_answers(
        quarterly_return=qr, by=asking.provider_user, expected_version=None, answers={number.pk: 15}
    )
    assert not AnswerFlag.objects.open().exists()
    qr.refresh_from_db()
    services.submit_return(quarterly_return=qr, by=asking.provider_user)
    client.force_login(asking.officer)

    review = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    second = client.get(reverse("grants:return_submission", args=[qr.pk, 2])).content.decode()

    assert "Previously: 12" in review
    assert "Changed from submission 1" in second
    assert "How many volunteers helped this quarter?" in second


def test_the_pdf_shows_the_questions_and_answers(asking, client):
    qr = submitted(asking)
    client.force_login(asking.officer)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "Questions from the fund" in text
    assert "1. How many volunteers helped this quarter? 12" in text
    assert "3. Has your safeguarding policy been reviewed this year? Yes" in text


def test_the_export_lists_the_answers_as_submitted(asking, client):
    qr = submitted(asking)
    asking.questions[Kind.WHOLE_NUMBER].wording = "How many volunteers in all?"
    asking.questions[Kind.WHOLE_NUMBER].save()
    client.force_login(asking.officer)

    response = client.get(
        reverse("grants:fund_question_answers_export", args=[asking.fund.pk, "csv"])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == selectors.QUESTION_EXPORT_HEADERS[:8]
    volunteers = next(r for r in rows if r[5] == "How many volunteers helped this quarter?")
    assert volunteers[0] == qr.agreement.reference
    assert volunteers[7] == "12"
    assert not any(r[5] == "How many volunteers in all?" for r in rows)
    xlsx = client.get(reverse("grants:fund_question_answers_export", args=[asking.fund.pk, "xlsx"]))
    assert xlsx.status_code == 200
    client.force_login(asking.other_officer)
    other = reverse("grants:fund_question_answers_export", args=[asking.fund.pk, "csv"])
    assert client.get(other).status_code == 404


# Changing the questions ----------------------------------------------------------------------


def test_rewording_a_question_leaves_a_submitted_return_as_it_was(asking, client):
    qr = submitted(asking)
    question = asking.questions[Kind.CHOICE]
    services.set_fund_questions(
        fund=asking.fund,
        by=asking.officer,
        expected_version=services.questions_version(asking.fund),
        changes=[
            services.QuestionChange(
                question=question,
                order=question.order,
                wording="Which town mostly?",
                help_text="",
                kind=Kind.CHOICE,
                choices="Kettering\nWellingborough",
                required=False,
                retired=False,
            )
        ],
    )
    client.force_login(asking.officer)

    review = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    draft = asking.start(quarter=2)
    client.force_login(asking.provider_user)
    page = client.get(url(draft)).content.decode()

    assert "Where did most of the work happen?" in review
    assert "Which town mostly?" not in review
    assert answer(qr, asking, Kind.CHOICE).choices == "Kettering\nCorby"
    assert "Which town mostly?" in page
    assert "Wellingborough" in page


def test_a_retired_question_is_no_longer_asked_but_stays_in_returns_that_answered_it(
    asking, client
):
    qr = submitted(asking)
    FundQuestion.objects.filter(pk=asking.questions[Kind.WHOLE_NUMBER].pk).update(retired=True)
    draft = asking.complete(asking.start(quarter=2))
    services.save_question_answers(
        quarterly_return=draft,
        by=asking.provider_user,
        expected_version=None,
        answers={asking.questions[Kind.YES_NO].pk: False},
    )
    draft.refresh_from_db()

    services.submit_return(quarterly_return=draft, by=asking.provider_user)
    client.force_login(asking.officer)
    earlier = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    later = client.get(reverse("grants:return_detail", args=[draft.pk])).content.decode()

    assert "How many volunteers helped this quarter?" in earlier
    assert "How many volunteers helped this quarter?" not in later


def test_a_question_belongs_to_a_fund_or_an_agreement_never_both(asking):
    with pytest.raises(ValidationError):
        FundQuestion(fund=asking.fund, agreement=asking.agreement, wording="Both?").full_clean()
    with pytest.raises(ValidationError):
        FundQuestion(wording="Neither?").full_clean()


def test_an_agreement_adds_its_own_questions_after_the_funds(asking):
    own = FundQuestion.objects.create(
        agreement=asking.agreement, order=1, wording="How is the new hub going?"
    )
    qr = asking.start()

    rows = selectors.question_rows(qr)

    assert rows[-1].question == own
    assert rows[-1].number == len(asking.questions) + 1


def fund_page(asking):
    return reverse("grants:fund_questions", args=[asking.fund.pk])


def formset_data(asking, questions, version, new=None) -> dict:
    data = {
        "questions_version": version,
        "form-TOTAL_FORMS": str(len(questions) + 1),
        "form-INITIAL_FORMS": str(len(questions)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for number, question in enumerate(questions):
        prefix = f"form-{number}-"
        data |= {
            f"{prefix}id": str(question.pk),
            f"{prefix}order": str(question.order),
            f"{prefix}wording": question.wording,
            f"{prefix}help_text": question.help_text,
            f"{prefix}kind": question.kind,
            f"{prefix}choices": question.choices,
        }
        if question.required:
            data[f"{prefix}required"] = "on"
        if question.retired:
            data[f"{prefix}retired"] = "on"
    prefix = f"form-{len(questions)}-"
    data |= {f"{prefix}{name}": value for name, value in (new or {}).items()}
    return data


def test_the_council_adds_rewords_and_retires_questions_on_the_funds_page(asking, client):
    client.force_login(asking.officer)
    page = client.get(fund_page(asking))
    questions = list(FundQuestion.objects.filter(fund=asking.fund).order_by("order", "pk"))
    questions[0].wording = "How many volunteers gave their time?"
    questions[1].retired = True
    new = {"order": "9", "wording": "What was hardest?", "kind": Kind.SHORT_TEXT, "required": ""}

    response = client.post(
        fund_page(asking),
        formset_data(asking, questions, page.context["questions_version"], new),
    )

    assert response.status_code == 302
    assert FundQuestion.objects.get(pk=questions[0].pk).wording.startswith("How many volunteers g")
    assert FundQuestion.objects.get(pk=questions[1].pk).retired
    added = FundQuestion.objects.get(wording="What was hardest?")
    assert (added.fund, added.required) == (asking.fund, False)


def test_a_list_question_without_choices_is_refused_beside_the_field(asking, client):
    client.force_login(asking.officer)
    page = client.get(fund_page(asking))
    questions = list(FundQuestion.objects.filter(fund=asking.fund).order_by("order", "pk"))
    new = {"order": "9", "wording": "Which ward?", "kind": Kind.CHOICE, "choices": "One"}

    response = client.post(
        fund_page(asking), formset_data(asking, questions, page.context["questions_version"], new)
    )

    assert "Give at least two choices" in response.content.decode()
    assert not FundQuestion.objects.filter(wording="Which ward?").exists()


def test_two_people_changing_the_questions_at_once_cannot_overwrite_each_other(asking, client):
    client.force_login(asking.officer)
    page = client.get(fund_page(asking))
    version = page.context["questions_version"]
    FundQuestion.objects.filter(pk=asking.questions[Kind.DATE].pk).update(wording="Changed")
    questions = list(FundQuestion.objects.filter(fund=asking.fund).order_by("order", "pk"))
    new = {"order": "9", "wording": "Late question", "kind": Kind.SHORT_TEXT}

    response = client.post(fund_page(asking), formset_data(asking, questions, version, new))

    assert response.status_code == 302
    assert not FundQuestion.objects.filter(wording="Late question").exists()
    followed = client.get(response["Location"]).content.decode()
    assert "have changed since you opened the page" in followed


def test_only_the_funds_council_sets_its_questions(asking, client):
    client.force_login(asking.other_officer)
    assert client.get(fund_page(asking)).status_code == 404
    client.force_login(asking.provider_user)
    assert client.get(fund_page(asking)).status_code == 403
    equality = UserFactory(organisation=asking.agreement.funder)
    client.force_login(equality)
    assert client.get(fund_page(asking)).status_code == 403


def test_the_questions_page_runs_the_same_queries_for_few_questions_and_many(
    asking, client, same_queries
):
    client.force_login(asking.officer)

    def more():
        for number in range(20):
            FundQuestion.objects.create(fund=asking.fund, order=20 + number, wording=f"Q{number}")

    counted = same_queries(lambda: client.get(fund_page(asking)), grow=more)

    assert "Q19" in counted.result.content.decode()


def test_the_answers_page_runs_the_same_queries_for_few_questions_and_many(
    asking, client, same_queries
):
    qr = asking.start()
    answer_required(asking, qr)
    client.force_login(asking.provider_user)

    def more():
        for number in range(20):
            question = FundQuestion.objects.create(
                fund=asking.fund, order=20 + number, wording=f"Extra {number}"
            )
            QuestionAnswer.objects.create(
                quarterly_return=qr, question=question, wording=question.wording, text="x"
            )

    counted = same_queries(lambda: client.get(url(qr)), grow=more)

    assert "Extra 19" in counted.result.content.decode()


def test_a_choice_the_question_no_longer_offers_is_asked_again(asking):
    question = asking.questions[Kind.CHOICE]
    question.required = True
    question.save()
    qr = asking.complete(asking.start())
    answer_required(asking, qr)
    services.save_question_answers(
        quarterly_return=qr,
        by=asking.provider_user,
        expected_version=None,
        answers={question.pk: "Corby"},
    )
    question.choices = "Kettering\nWellingborough"
    question.save()
    qr.refresh_from_db()

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=qr, by=asking.provider_user)

    assert [p.key for p in refused.value.problems] == [f"question:{question.pk}"]


def test_the_review_page_runs_the_same_queries_for_few_questions_and_many(
    asking, client, same_queries
):
    qr = submitted(asking)
    client.force_login(asking.officer)

    def more():
        for number in range(20):
            question = FundQuestion.objects.create(
                fund=asking.fund, order=20 + number, wording=f"Extra {number}"
            )
            QuestionAnswer.objects.create(
                quarterly_return=qr, question=question, wording=question.wording, text="x"
            )

    review = reverse("grants:return_detail", args=[qr.pk])
    counted = same_queries(lambda: client.get(review), grow=more)

    assert "Extra 19" in counted.result.content.decode()


@pytest.mark.parametrize(("language", "shown"), [("en-gb", "14 May 2025"), ("cy", "14 Mai 2025")])
def test_a_date_answer_names_its_month_in_the_readers_language(language, shown):
    row = QuestionRow(
        question=FundQuestion(kind=Kind.DATE, wording="When did your board last meet?"),
        answer=QuestionAnswer(date=dt.date(2025, 5, 14)),
        number=1,
    )

    with translation.override(language):
        assert row.text == shown
