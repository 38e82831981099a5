"""The questions Kettering's fund adds to its returns, and the demo's answers to them."""

from grants import selectors, services
from grants.models import Fund, FundQuestion, QuarterlyReturn

Kind = FundQuestion.Kind
QUESTIONS = [
    {
        "wording": "How many volunteers helped this quarter?",
        "help_text": "Count each person once, however many sessions they helped at.",
        "kind": Kind.WHOLE_NUMBER,
        "required": True,
    },
    {
        "wording": "Describe one story of change",
        "help_text": "A person or a group whose life changed because of the service, in a few "
        "sentences. Leave out anything that would identify them.",
        "kind": Kind.LONG_TEXT,
        "required": False,
    },
    {
        "wording": "Has your safeguarding policy been reviewed this year?",
        "help_text": "By your board or management committee, in this financial year.",
        "kind": Kind.YES_NO,
        "required": True,
    },
]


def load_questions(fund: Fund) -> None:
    """The fund's questions, once."""
    if fund.questions.exists():
        return
    FundQuestion.objects.bulk_create(
        FundQuestion(fund=fund, order=number, **question)
        for number, question in enumerate(QUESTIONS, start=1)
    )


def answer_questions(quarterly_return: QuarterlyReturn, provider, quarter: int) -> None:
    """A return's answers to its fund's questions, as its provider would give them."""
    answers = {}
    for row in selectors.question_rows(quarterly_return):
        kind = row.question.kind
        if kind == Kind.WHOLE_NUMBER:
            answers[row.question.pk] = 8 + quarter * 2
        elif kind == Kind.YES_NO:
            answers[row.question.pk] = True
        elif kind == Kind.LONG_TEXT and quarter == 2:
            answers[row.question.pk] = (
                "A resident who came to the first coffee morning on her own now runs the "
                "Tuesday group with two neighbours she met there."
            )
    if answers:
        services.save_question_answers(
            quarterly_return=quarterly_return, by=provider, expected_version=None, answers=answers
        )
