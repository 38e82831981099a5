"""The lead officer's review of a submitted return: a flag and a comment beside each answer."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from grants.models import QuarterlyReturn
from tests.factories import MinimumRequirementFactory, PerformanceIndicatorFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


def decide(client, qr, **data):
    return client.post(
        reverse("grants:decide_return", args=[qr.pk]), {"version": qr.version, **data}
    )


def card(html: str, anchor: str) -> str:
    """The markup of one answer's card on the review page."""
    start = html.index(f'id="{anchor}"')
    ends = [html.find(end, start) for end in ('<div class="card mb-3', "</section>")]
    return html[start : min(end for end in ends if end != -1)]


def test_each_answer_has_its_own_flag_and_comment_beside_it(funded, client):
    qr = funded.submitted()
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    indicator = funded.indicators["per_quarter"]
    beside = card(html, f"indicator-{indicator.pk}")
    assert f'name="flag_indicator_{indicator.pk}"' in beside
    assert 'form="decision-form"' in beside
    assert (
        f'<label class="form-check-label fw-semibold" for="id_flag_indicator_{indicator.pk}">'
        'Flag this answer<span class="visually-hidden"> (indicator c)</span></label>'
    ) in beside
    assert (
        f'for="id_flag_comment_indicator_{indicator.pk}">What needs changing in indicator c</label>'
        in beside
    )
    requirement = funded.agreement.requirements.get(number=2)
    assert f'name="flag_comment_requirement_{requirement.pk}"' in card(
        html, f"requirement-{requirement.pk}"
    )
    assert html.count('type="checkbox"') == len(funded.indicators) + 2
    assert '<form id="decision-form"' in html
    assert "Name the answers that need changing" not in html


def test_the_provider_sees_no_flag_controls(funded, client):
    qr = funded.submitted()
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "Flag this answer" not in html
    assert 'form="decision-form"' not in html


def test_a_flag_without_a_comment_is_refused_beside_its_comment_box(funded, client):
    qr = funded.submitted()
    indicator = funded.indicators["per_year"]
    client.force_login(funded.officer)

    response = decide(
        client,
        qr,
        decision="request_changes",
        comment="One answer needs more.",
        **{f"flag_indicator_{indicator.pk}": "on"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    message = "Say what needs changing in indicator b, or untick “Flag this answer”"
    field = f"id_flag_comment_indicator_{indicator.pk}"
    assert f'<a href="#{field}">{message}</a>' in html
    beside = card(html, f"indicator-{indicator.pk}")
    assert f'id="{field}_error"' in beside
    assert message in beside
    assert re.search(
        rf'<input type="checkbox" name="flag_indicator_{indicator.pk}"[^>]* checked', beside
    )
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.SUBMITTED
    assert not qr.flags.exists()


def test_a_comment_beside_an_answer_flags_it_without_the_tick(funded, client):
    qr = funded.submitted()
    requirement = funded.agreement.requirements.get(number=1)
    client.force_login(funded.officer)

    response = decide(
        client,
        qr,
        decision="request_changes",
        comment="See the requirement.",
        **{f"flag_comment_requirement_{requirement.pk}": "Which meetings were attended?"},
    )

    assert response.status_code == 302
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.CHANGES_REQUESTED
    assert qr.transitions.last().flagged_answers == [
        {
            "key": f"requirement:{requirement.pk}",
            "label": "Requirement 1",
            "comment": "Which meetings were attended?",
        }
    ]


def test_approving_with_flags_is_refused_with_a_clear_error(funded, client):
    qr = funded.submitted()
    first, second = funded.indicators["per_quarter"], funded.indicators["milestone"]
    client.force_login(funded.officer)

    response = decide(
        client,
        qr,
        decision="approve",
        **{
            f"flag_indicator_{first.pk}": "on",
            f"flag_comment_indicator_{first.pk}": "Should be 6.",
            f"flag_comment_indicator_{second.pk}": "When was it adopted?",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    message = (
        "You flagged indicator c and indicator f. Flags go to the provider only when you choose "
        "“Request changes”: choose it, or untick the flags and clear their comments to approve "
        "the return."
    )
    assert f'<a href="#id_decision_0">{message}</a>' in html
    assert 'id="id_decision_error"' in html
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.SUBMITTED


def test_the_email_lists_every_flagged_answer_with_its_comment(
    funded, client, django_capture_on_commit_callbacks, mailoutbox
):
    qr = funded.submitted()
    mailoutbox.clear()
    indicator = funded.indicators["per_quarter"]
    narrative = funded.indicators["narrative"]
    requirement = funded.agreement.requirements.get(number=2)
    client.force_login(funded.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client,
            qr,
            decision="request_changes",
            comment="Three answers need another look.",
            **{
                f"flag_indicator_{indicator.pk}": "on",
                f"flag_comment_indicator_{indicator.pk}": "The log shows 6 groups.",
                f"flag_indicator_{narrative.pk}": "on",
                f"flag_comment_indicator_{narrative.pk}": "Name the casework themes.",
                f"flag_comment_requirement_{requirement.pk}": "Attach the minutes.",
            },
        )

    assert response.status_code == 302
    (email,) = mailoutbox
    assert email.to == [funded.provider_user.email]
    body = email.body
    assert "Three answers need another look." in body
    assert "3 answers to change:" in body
    expected = [
        (f"Indicator c: {indicator.wording}", "The log shows 6 groups."),
        (f"Indicator d: {narrative.wording}", "Name the casework themes."),
        (f"Requirement 2: {requirement.text}", "Attach the minutes."),
    ]
    positions = []
    for heading, comment in expected:
        assert f"{heading}\n  What needs changing: {comment}" in body
        positions.append(body.index(heading))
    assert positions == sorted(positions)


def test_the_provider_sees_each_flag_beside_its_answer(funded, client):
    qr = funded.submitted()
    indicator = funded.indicators["percentage"]
    requirement = funded.agreement.requirements.get(number=2)
    client.force_login(funded.officer)
    decide(
        client,
        qr,
        decision="request_changes",
        comment="See indicator g.",
        **{
            f"flag_comment_indicator_{indicator.pk}": "Give the percentage of the year.",
            f"flag_comment_requirement_{requirement.pk}": "Attach the minutes.",
        },
    )
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    first, second = re.findall(r'<li class="flagged-answer">.*?</li>', html, re.S)
    assert f"Indicator {indicator.code}:" in first
    assert "Change requested:</strong> Give the percentage of the year." in first
    assert "Minimum requirements</a>" in second
    assert "Change requested in requirement 2:</strong> Attach the minutes." in second


def _more_answers_asked(agreement) -> None:
    """Fifteen more indicators and fifteen more minimum requirements."""
    for n in range(15):
        PerformanceIndicatorFactory(agreement=agreement, code=f"z{n}")
        MinimumRequirementFactory(agreement=agreement, number=10 + n)


def test_the_review_page_runs_the_same_queries_for_few_and_many_answers(
    funded, client, same_queries
):
    qr = funded.submitted()
    client.force_login(funded.officer)
    url = reverse("grants:return_detail", args=[qr.pk])

    counted = same_queries(
        lambda: client.get(url), grow=lambda: _more_answers_asked(funded.agreement)
    )

    html = counted.result.content.decode()
    assert html.count('type="checkbox"') == len(funded.indicators) + 2 + 30


def resubmitted(funded):
    """A return sent back for indicator c and resubmitted with c and the narrative changed."""
    qr = funded.submitted()
    services.request_changes(
        quarterly_return=qr,
        by=funded.officer,
        comment="Check c.",
        flags={f"indicator:{funded.indicators['per_quarter'].pk}": "Should be 6."},
    )
    funded.complete(
        qr,
        per_quarter={"actual_value": Decimal("12")},
        narrative={"narrative": "Casework for the quarter, with the two late cases."},
    )
    return services.submit_return(quarterly_return=qr, by=funded.provider_user)


def test_a_changed_answer_shows_its_previous_value_beside_the_new_one(funded, client):
    qr = resubmitted(funded)
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    count = card(html, f"indicator-{funded.indicators['per_quarter'].pk}")
    assert "Changed since it was sent back" in count
    assert re.search(
        r"<dd[^>]*>12<span class=\"previous-value d-block\">Previously: 4</span>", count
    )
    narrative = card(html, f"indicator-{funded.indicators['narrative'].pk}")
    assert "Casework for the quarter, with the two late cases." in narrative
    assert "Previously: Casework for the quarter.</span>" in narrative
    for key in ("per_year", "percentage", "milestone"):
        assert "Previously" not in card(html, f"indicator-{funded.indicators[key].pk}")
    assert html.count("Previously:") == 2
    assert f'href="/returns/{qr.pk}/submissions/1/">See submission 1 as it was sent back' in html


def test_each_submission_opens_read_only_from_the_history(funded, client):
    qr = resubmitted(funded)
    client.force_login(funded.provider_user)
    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    for number in (1, 2):
        url = reverse("grants:return_submission", args=[qr.pk, number])
        assert f'<a href="{url}">Answers as submitted' in html

    first = client.get(reverse("grants:return_submission", args=[qr.pk, 1])).content.decode()
    second = client.get(reverse("grants:return_submission", args=[qr.pk, 2])).content.decode()

    assert "<h1>Q1 2025/26 return: submission 1</h1>" in first
    assert re.search(r"This quarter</dt><dd[^>]*>4</dd>", first)
    assert "Casework for the quarter.</dd>" in first
    assert "Changes requested by" in first and "“Check c.”" in first
    assert "<strong>Indicator c</strong>: Should be 6." in first
    assert re.search(r"This quarter</dt><dd[^>]*>12</dd>", second)
    assert "Casework for the quarter, with the two late cases." in second
    assert second.count("Changed from submission 1") == 2
    assert "Awaiting the lead officer's review" in second
    assert "<form" not in first.split("<main", 1)[-1].split("</main>", 1)[0]


@pytest.mark.parametrize("who", ["other_provider_user", "other_officer"])
def test_another_organisations_submission_is_not_found(funded, client, who):
    qr = funded.submitted()
    client.force_login(getattr(funded, who))

    response = client.get(reverse("grants:return_submission", args=[qr.pk, 1]))

    assert response.status_code == 404


@pytest.mark.parametrize("number", [0, 2, 2**40])
def test_a_submission_the_return_never_had_is_not_found(funded, client, number):
    qr = funded.submitted()
    client.force_login(funded.officer)

    response = client.get(reverse("grants:return_submission", args=[qr.pk, number]))

    assert response.status_code == 404


def test_a_resubmission_runs_the_same_queries_for_few_and_many_answers(
    funded, client, same_queries
):
    qr = resubmitted(funded)
    client.force_login(funded.officer)
    url = reverse("grants:return_detail", args=[qr.pk])

    same_queries(lambda: client.get(url), grow=lambda: _more_answers_asked(funded.agreement))


def _sent_back_and_resubmitted_with_more_answers(funded, qr) -> None:
    """Fifteen more indicators and requirements, then twice sent back and resubmitted with
    every answer given."""
    _more_answers_asked(funded.agreement)
    added = funded.agreement.indicators.filter(code__startswith="z")
    for round_ in (1, 2):
        services.request_changes(quarterly_return=qr, by=funded.officer, comment=f"Round {round_}.")
        funded.complete(qr)
        for indicator in added:
            services.save_indicator_answer(
                quarterly_return=qr,
                indicator=indicator,
                by=funded.provider_user,
                expected_version=None,
                actual_value=Decimal("4"),
            )
        services.submit_return(quarterly_return=qr, by=funded.provider_user)


def test_a_submission_runs_the_same_queries_for_few_answers_and_many(funded, client, same_queries):
    qr = funded.submitted()
    client.force_login(funded.officer)
    number = 1

    def resubmitted_with_more_answers():
        nonlocal number
        _sent_back_and_resubmitted_with_more_answers(funded, qr)
        number = 3

    counted = same_queries(
        lambda: client.get(reverse("grants:return_submission", args=[qr.pk, number])),
        grow=resubmitted_with_more_answers,
    )

    assert len(counted.result.context["detail"].answers) == len(funded.indicators) + 2 + 30


def test_the_return_pdf_runs_the_same_queries_for_few_answers_and_many(
    funded, client, same_queries
):
    qr = funded.submitted()
    client.force_login(funded.officer)

    counted = same_queries(
        lambda: client.get(reverse("grants:return_pdf", args=[qr.pk])),
        grow=lambda: _sent_back_and_resubmitted_with_more_answers(funded, qr),
    )

    _, text = response_pdf(counted.result)
    assert "Round 2." in text
