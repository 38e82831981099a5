"""The people you worked with, on the pages: the provider's form with its errors, the task list,
check answers and submitting, and what the council sees (the figures as published: rounded to
multiples of 5 when they were saved)."""

import re

import pytest
from django.urls import reverse

from grants import services
from grants.models import BeneficiaryFigures, QuarterlyReturn
from tests.grants.beneficiary_data import SEX, asks_for_people, figures, form_data
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def asks(funded):
    return asks_for_people(funded)


def people_url(qr):
    return reverse("grants:beneficiary_figures", args=[qr.pk])


def post(client, qr, **boxes):
    return client.post(people_url(qr), form_data(qr, **boxes))


def save(funded, qr, **values):
    services.save_beneficiary_figures(
        quarterly_return=qr, by=funded.provider_user, expected_version=None, **values
    )


def number(text: str) -> str:
    return f'<td class="text-end text-nowrap">{text}</td>'


def cell(label: str, text: str) -> str:
    """A row of a characteristic's table on the page."""
    return f'<th scope="row" class="fw-normal">{label}</th>{number(text)}'


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_asks_each_characteristic_in_a_fieldset_with_its_categories(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    html = client.get(people_url(qr)).content.decode()

    assert "How many people did you work with in the quarter?" in html
    assert html.count('<fieldset class="beneficiary-fieldset') == 9
    assert '<legend class="fs-5 fw-semibold">Ethnic group (2021 Census)</legend>' in html
    assert (
        '<legend class="fs-6 fw-semibold mb-1">Asian, Asian British or Asian Welsh</legend>' in html
    )
    assert html.count('<fieldset class="count-group') == 5
    assert (
        '<label class="form-label mb-1" for="id_race__asian-bangladeshi">Bangladeshi</label>'
        in html
    )
    assert 'id="disability-hint"' in html
    assert html.count(">We did not collect this</label>") == 9
    assert html.count(">Prefer not to say</label>") == 9
    assert html.count(">Not known</label>") == 9
    assert 'inputmode="numeric"' in html
    assert "js/beneficiaries.js" in html


def test_the_task_list_has_the_section_and_counts_it(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    before = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    save(asks, qr, **figures(40))
    after = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert f'<a href="{people_url(qr)}" aria-describedby="task-status-beneficiaries">' in before
    assert "You have completed 0 of 7 sections" in before
    assert "You have completed 1 of 7 sections" in after


def test_an_agreement_that_does_not_ask_has_no_such_section(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)

    task_list = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "People you worked with" not in task_list
    assert client.get(people_url(qr)).status_code == 404
    assert client.post(people_url(qr), form_data(qr)).status_code == 404


def test_figures_that_add_up_are_saved_and_continue_goes_to_check_answers(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)
    data = form_data(qr, **{"sex__female": "3", "sex__male": "30", "sex__not-known": "7"})
    data.pop("save_draft")

    response = client.post(people_url(qr), {**data, "save_continue": "1"})

    assert response.url == reverse("grants:check_answers", args=[qr.pk])
    counts = {
        c.category: c.count
        for c in BeneficiaryFigures.objects.get().counts.filter(characteristic="sex")
    }
    assert counts == {"female": 3, "male": 30, "not-known": 7, "prefer-not-to-say": 0}


def test_save_as_draft_goes_back_to_the_task_list(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr)

    assert response.url == reverse("grants:return_detail", args=[qr.pk])


def test_the_minimum_requirements_continue_to_the_people_you_worked_with(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = client.post(
        reverse("grants:requirement_answers", args=[qr.pk]),
        {"version": qr.version, "save_continue": "1"},
    )

    assert response.url == people_url(qr)


def test_the_form_shows_what_was_saved(asks, client):
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX, not_collected={"age": "Not asked at drop-ins."}))
    client.force_login(asks.provider_user)

    html = client.get(people_url(qr)).content.decode()

    assert 'name="people_reached" value="40"' in html
    assert 'name="sex__female" value="3"' in html
    assert re.search(r'name="age__not_collected"[^>]*checked', html)
    assert "Not asked at drop-ins." in html


BAD_BOXES = [
    ("letters", "three", "Sex, Female: enter a whole number, like 12"),
    ("a decimal", "2.5", "Sex, Female: enter a whole number, like 12"),
    ("a negative", "-3", "Sex, Female: the number cannot be less than 0"),
    ("too big", "9" * 30, "Sex, Female: enter a number no bigger than 2,147,483,647"),
    ("an exponent", "1e3", "Sex, Female: enter a whole number, like 12"),
]


@pytest.mark.parametrize(
    ("value", "message"), [c[1:] for c in BAD_BOXES], ids=[c[0] for c in BAD_BOXES]
)
def test_a_bad_count_is_shown_beside_its_box_and_in_the_summary_and_nothing_is_saved(
    asks, client, value, message
):
    qr = asks.start()
    save(asks, qr, **figures(40))
    client.force_login(asks.provider_user)

    response = post(client, qr, **{"sex__female": value, "age__16-24": "5"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem: nothing in this section was saved" in html
    assert f'<a href="#id_sex__female">{message}</a>' in html
    assert 'id="id_sex__female_error"' in html
    assert 'aria-describedby="id_sex__female_error"' in html
    assert 'aria-invalid="true"' in html
    assert "<title>Error: " in html
    assert f'value="{value}"' in html  # what was typed is kept
    # The age numbers no longer add up, and are said to; the sex ones cannot be summed.
    assert "Age: the numbers add up to 45, not the 40 people you worked with" in html
    assert "Sex: the numbers add up" not in html
    assert (
        BeneficiaryFigures.objects.get().counts.get(characteristic="age", category="16-24").count
        == 0
    )


@pytest.mark.parametrize("people", ["", "lots", "-1", "12.5", "9" * 20])
def test_the_people_reached_must_be_a_whole_number(asks, client, people):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr, people=people)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_people_reached">' in html
    assert 'id="id_people_reached_error"' in html
    assert not BeneficiaryFigures.objects.exists()


def test_numbers_are_read_with_thousands_commas(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr, people="1,250", **{"age__16-24": " 1,250 ", "age__not-known": None})

    assert response.status_code == 302
    assert BeneficiaryFigures.objects.get().people_reached == 1250


def test_counts_that_do_not_add_up_are_an_error_on_the_fieldset(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr, **{"race__white-british": "30", "race__not-known": "5"})

    html = response.content.decode()
    message = "Race: the numbers add up to 35, not the 40 people you worked with"
    assert f'<a href="#id_race__asian-bangladeshi">{message}</a>' in html
    assert 'aria-describedby="race-error"' in html
    error = '<p id="race-error" class="invalid-feedback d-block"><span class="visually-hidden">'
    assert f"{error}Error:</span> {message}</p>" in html
    assert not BeneficiaryFigures.objects.exists()


def test_not_collected_needs_a_reason_and_ignores_the_counts(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    refused = post(client, qr, **{"sex__not_collected": "on", "sex__female": "99"})
    saved = post(
        client,
        qr,
        **{"sex__not_collected": "on", "sex__female": "99", "sex__reason": "Not asked."},
    )

    assert (
        '<a href="#id_sex__reason">Sex: say why you did not collect it</a>'
        in refused.content.decode()
    )
    assert saved.status_code == 302
    figures_ = BeneficiaryFigures.objects.get()
    assert not figures_.counts.filter(characteristic="sex").exists()
    assert figures_.not_collected.get().reason == "Not asked."


def test_a_reason_alone_says_the_characteristic_was_not_collected(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr, **{"sex__not-known": None, "sex__reason": "Not asked."})

    assert response.status_code == 302
    assert BeneficiaryFigures.objects.get().not_collected.get().characteristic == "sex"


def test_a_reason_beside_counts_without_the_tick_asks_which_is_meant(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)

    response = post(client, qr, **{"sex__reason": "Not asked."})

    assert "Sex: tick “We did not collect this” to give a reason" in response.content.decode()
    assert not BeneficiaryFigures.objects.exists()


def test_a_stale_form_is_refused_and_keeps_what_was_typed(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)
    stale = form_data(qr, people="41", **{"age__16-24": "41", "age__not-known": None})
    save(asks, qr, **figures(40))

    response = client.post(people_url(qr), stale)

    html = response.content.decode()
    assert "changed since you opened the page" in html
    assert 'name="people_reached" value="41"' in html
    assert BeneficiaryFigures.objects.get().people_reached == 40


def test_a_double_submit_saves_once_and_says_so_the_second_time(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)
    data = form_data(qr)

    first = client.post(people_url(qr), data)
    second = client.post(people_url(qr), data)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "changed since you opened the page" in second.content.decode()
    qr.refresh_from_db()
    assert qr.version == data["version"] + 1


def test_a_form_without_its_version_asks_for_a_reload(asks, client):
    qr = asks.start()
    client.force_login(asks.provider_user)
    data = form_data(qr)
    data.pop("version")

    response = client.post(people_url(qr), data)

    assert "The page is out of date: reload it" in response.content.decode()
    assert not BeneficiaryFigures.objects.exists()


def test_a_submitted_return_sends_the_provider_back_to_it(asks, client):
    qr = asks.complete(asks.start())
    save(asks, qr, **figures(40))
    services.submit_return(quarterly_return=qr, by=asks.provider_user)
    client.force_login(asks.provider_user)

    response = client.post(people_url(qr), form_data(qr, people="12"), follow=True)

    assert "can no longer be changed" in response.content.decode()
    assert BeneficiaryFigures.objects.get().people_reached == 40


@pytest.mark.parametrize("who", ["officer", "other_provider_user"])
def test_no_one_but_the_provider_posts_figures(asks, client, who):
    qr = asks.start()
    client.force_login(getattr(asks, who))

    response = client.post(people_url(qr), form_data(qr))

    assert response.status_code == (403 if who == "officer" else 404)
    assert not BeneficiaryFigures.objects.exists()


def test_check_answers_lists_the_figures_as_entered_with_a_change_link(asks, client):
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX, not_collected={"age": "Not asked."}))
    client.force_login(asks.provider_user)

    html = client.get(reverse("grants:check_answers", args=[qr.pk])).content.decode()

    section = html[html.index('id="beneficiaries"') :]
    assert "People you worked with" in section
    change = '<span class="visually-hidden"> the people you worked with</span></a>'
    assert f'<a href="{people_url(qr)}">Change{change}' in section
    assert cell("Female", "3") in section
    assert "Not collected: Not asked." in section
    assert "As you entered them." in section


def test_submitting_without_the_figures_names_the_section_with_links_to_it(asks, client):
    qr = asks.complete(asks.start())
    client.force_login(asks.provider_user)
    url = reverse("grants:check_answers", args=[qr.pk])

    refused = client.post(url, {"version": qr.version}).content.decode()
    save(asks, qr, people_reached=5, counts={"age": {"16-24": 5}}, not_collected={})
    qr.refresh_from_db()
    still = client.post(url, {"version": qr.version}).content.decode()

    assert (
        f'<a href="{people_url(qr)}#id_people_reached">People you worked with: enter how many '
        "people you worked with in the quarter</a>" in refused
    )
    assert (
        f'<a href="{people_url(qr)}#id_sex__female">People you worked with: give the numbers '
        "for sex, or say you did not collect them</a>" in still
    )
    assert f"{people_url(qr)}#id_age__under-16" not in still
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.DRAFT


def submitted_with_figures(funded):
    qr = funded.complete(funded.start())
    save(funded, qr, **figures(40, sex=SEX, not_collected={"age": "Not asked at drop-ins."}))
    return services.submit_return(quarterly_return=qr, by=funded.provider_user)


def sex_table(html: str) -> str:
    start = html.index(">Sex</h3>")
    return html[start : html.index("</table>", start)]


def published_sex(qr) -> dict[str, int]:
    figures_ = BeneficiaryFigures.objects.get(quarterly_return=qr)
    return {c.category: c.published for c in figures_.counts.filter(characteristic="sex")}


def test_the_lead_officer_sees_the_figures_as_published_rounded_to_multiples_of_5(asks, client):
    qr = submitted_with_figures(asks)
    published = published_sex(qr)
    client.force_login(asks.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    table = sex_table(html)
    assert published["female"] in (0, 5) and published["not-known"] in (5, 10)
    assert cell("Female", str(published["female"])) in table
    assert cell("Not known", str(published["not-known"])) in table
    assert number("30") in table
    assert number("3") not in table
    assert number("7") not in table
    assert "People the service worked with" in html
    assert "every count is rounded to a multiple of 5 for each return, up or down at random" in html
    assert "Not collected: Not asked at drop-ins." in html


def test_the_provider_sees_its_submitted_figures_as_entered(asks, client):
    qr = submitted_with_figures(asks)
    client.force_login(asks.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    table = sex_table(html)
    assert cell("Female", "3") in table
    assert cell("Not known", "7") in table
    assert "As you entered them. Anyone else, the council included, sees each count" in html


def test_a_handful_of_people_is_shown_to_the_officer_rounded(asks, client):
    qr = asks.complete(asks.start())
    save(asks, qr, **figures(3, sex={"female": 2, "male": 1}))
    services.submit_return(quarterly_return=qr, by=asks.provider_user)
    people = BeneficiaryFigures.objects.get().people_reached_published
    published = published_sex(qr)
    client.force_login(asks.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    section = text_of(html[html.index('id="beneficiaries"') :])
    assert people in (0, 5)
    assert f"People worked with in the quarter {people} " in section
    assert f"Female {published['female']} Male {published['male']} " in section
    assert published["female"] + published["male"] == people


def test_counts_changed_outside_the_app_are_not_what_the_council_reads(asks, client):
    """The council reads the figures as published when the provider saved them."""
    qr = submitted_with_figures(asks)
    published = published_sex(qr)
    BeneficiaryFigures.objects.get().counts.filter(category="male").update(count=31)
    client.force_login(asks.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    table = sex_table(html)
    assert cell("Male", str(published["male"])) in table
    assert number("31") not in table


@pytest.mark.parametrize("who", ["officer", "provider_user"])
def test_the_return_pdf_shows_the_figures_as_published_and_says_so(asks, client, who):
    qr = submitted_with_figures(asks)
    published = published_sex(qr)
    client.force_login(getattr(asks, who))

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "People the service worked with" in text
    assert "rounded to a multiple of 5 for each return" in text
    assert "whoever downloads it, the provider included" in text
    assert f"Female {published['female']}" in text
    assert f"Not known {published['not-known']}" in text
    assert "Male 30" in text
    assert "Female 3" not in text and "Not known 7" not in text
    assert "Not collected: Not asked at drop-ins." in text


def test_the_return_page_runs_the_same_queries_with_and_without_figures(asks, client, same_queries):
    qr = submitted_with_figures(asks)
    client.force_login(asks.officer)

    same_queries(
        lambda: client.get(reverse("grants:return_detail", args=[qr.pk])),
        grow=lambda: BeneficiaryFigures.objects.all().delete(),  # with figures, then without
    )


@pytest.mark.parametrize("page", ["return_detail", "beneficiary_figures"])
def test_the_provider_pages_run_the_same_queries_with_and_without_figures(
    asks, client, same_queries, page
):
    qr = asks.start()
    client.force_login(asks.provider_user)

    same_queries(
        lambda: client.get(reverse(f"grants:{page}", args=[qr.pk])),
        grow=lambda: save(asks, qr, **figures(40, sex=SEX, not_collected={"age": "Not asked."})),
    )


def test_the_agreement_page_says_whether_returns_ask_for_people(asks, client):
    client.force_login(asks.officer)

    html = client.get(reverse("grants:agreement_detail", args=[asks.agreement.pk])).content.decode()

    assert "Each quarterly return gives them, by protected characteristic" in html


def test_the_admin_shows_a_returns_figures_as_published_never_as_entered(db, client):
    from tests.factories import BeneficiaryFiguresFactory, UserFactory

    figures = BeneficiaryFiguresFactory(
        people_reached=43, counts={"sex": {"female": 3, "male": 40}}
    )
    client.force_login(UserFactory(superuser=True))

    page = client.get(
        reverse("admin:grants_beneficiaryfigures_change", args=[figures.pk])
    ).content.decode()
    counts = client.get(reverse("admin:grants_beneficiarycount_changelist")).content.decode()

    published = {c.category: c.published for c in figures.counts.all()}
    assert f"Female {published['female']}; Male {published['male']}" in page
    assert ">43<" not in page and "Female 3;" not in page
    assert 'class="field-category">female<' in counts
    assert f'class="field-published">{published["female"]}<' in counts
    assert "field-count" not in counts
