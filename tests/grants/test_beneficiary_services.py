"""Saving the people a return's service worked with: the sum rule, bad input, who may, when."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from grants import beneficiaries, selectors, services
from grants.beneficiaries import figure_errors, largest_count
from grants.models import BeneficiaryCount, BeneficiaryFigures, CharacteristicNotCollected
from sla_monitor.equality import CHARACTERISTICS
from tests.grants.beneficiary_data import SEX, asks_for_people, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def asks(funded):
    return asks_for_people(funded)


def save(funded, qr, **values):
    return services.save_beneficiary_figures(
        quarterly_return=qr, by=funded.provider_user, expected_version=None, **values
    )


def stored(qr) -> dict:
    figures_ = BeneficiaryFigures.objects.filter(quarterly_return=qr).first()
    if figures_ is None:
        return {}
    return {
        "people": figures_.people_reached,
        "counts": {(c.characteristic, c.category): c.count for c in BeneficiaryCount.objects.all()},
        "not_collected": dict(
            CharacteristicNotCollected.objects.values_list("characteristic", "reason")
        ),
    }


def test_counts_that_add_up_are_saved_with_every_category_and_blank_boxes_as_0(asks):
    qr = asks.start()
    version = qr.version

    save(asks, qr, **figures(40, sex=SEX))

    kept = stored(qr)
    assert kept["people"] == 40
    assert kept["counts"][("sex", "female")] == 3
    assert kept["counts"][("sex", "prefer-not-to-say")] == 0
    assert len([k for k in kept["counts"] if k[0] == "race"]) == 21
    assert len(kept["counts"]) == sum(len(c.categories) for c in CHARACTERISTICS)
    qr.refresh_from_db()
    assert qr.version == version + 1


def published_of(qr) -> tuple[int, dict]:
    figures_ = BeneficiaryFigures.objects.get(quarterly_return=qr)
    return figures_.people_reached_published, {
        (c.characteristic, c.category): c.published for c in figures_.counts.all()
    }


def test_the_figures_are_published_rounded_to_multiples_of_5_that_add_up(asks):
    qr = asks.start()
    sex = {"female": 3, "male": 21, "prefer-not-to-say": 0, "not-known": 13}
    age = {"16-24": 1, "25-34": 2, "35-49": 4, "50-64": 25, "not-known": 5}

    save(asks, qr, **figures(37, sex=sex, age=age))

    people, counts = published_of(qr)
    assert people in (35, 40)
    true = stored(qr)["counts"]
    for key, value in counts.items():
        assert value % 5 == 0 and abs(value - true[key]) < 5, key
        if true[key] % 5 == 0:
            assert value == true[key], key
    for characteristic in CHARACTERISTICS:
        assert sum(v for (c, _), v in counts.items() if c == characteristic.code) == people


def test_the_same_figures_always_publish_the_same_way(asks):
    qr = asks.start()
    values = figures(37, sex={"female": 3, "male": 21, "not-known": 13})
    save(asks, qr, **values)
    first = published_of(qr)

    for _ in range(3):
        save(asks, qr, **values)
        assert published_of(qr) == first


def test_counts_that_do_not_add_up_to_the_people_reached_are_refused_and_nothing_changes(asks):
    qr = asks.start()
    save(asks, qr, **figures(40))
    before = stored(qr)

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, **figures(41, sex={"female": 20, "male": 20}))

    assert refused.value.message_dict["sex"] == [
        "Sex: the numbers add up to 40, not the 41 people you worked with"
    ]
    assert stored(qr) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Sex, Female: the number cannot be less than 0"),
        (Decimal("2.5"), "Sex, Female: enter a whole number, like 12"),
        (2.0, "Sex, Female: enter a whole number, like 12"),
        ("3", "Sex, Female: enter a whole number, like 12"),
        (True, "Sex, Female: enter a whole number, like 12"),
        (10**12, "Sex, Female: enter a number no bigger than 2,147,483,647"),
    ],
    ids=["negative", "decimal", "float", "text", "boolean", "too big to store"],
)
def test_a_count_that_is_not_a_whole_number_the_column_holds_is_refused(asks, value, message):
    qr = asks.start()

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, **figures(40, sex={"female": value, "not-known": 37}))

    assert refused.value.message_dict["sex__female"] == [message]
    assert "sex" not in refused.value.message_dict  # not also said of the sum
    assert not BeneficiaryFigures.objects.exists()


@pytest.mark.parametrize("people", [None, -5, 10**10, "forty"])
def test_people_reached_must_be_given_as_a_whole_number_the_column_holds(asks, people):
    qr = asks.start()

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, people_reached=people, counts={}, not_collected={})

    assert list(refused.value.message_dict) == ["people_reached"]
    assert not BeneficiaryFigures.objects.exists()


def test_the_column_limit_is_the_databases_own():
    assert largest_count() == 2_147_483_647


def test_a_characteristic_not_collected_needs_a_reason(asks):
    qr = asks.start()

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, **figures(40, not_collected={"sex": "  "}))

    assert refused.value.message_dict == {"sex__reason": ["Sex: say why you did not collect it"]}
    assert not BeneficiaryFigures.objects.exists()


def test_a_reason_longer_than_the_column_is_refused(asks):
    qr = asks.start()

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, **figures(40, not_collected={"sex": "x" * 501}))

    assert "500 characters or fewer" in refused.value.message_dict["sex__reason"][0]


def test_a_characteristic_not_collected_keeps_its_reason_and_loses_its_counts(asks):
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX))

    save(asks, qr, **figures(40, sex=SEX, not_collected={"sex": "Not asked at drop-ins."}))

    kept = stored(qr)
    assert kept["not_collected"] == {"sex": "Not asked at drop-ins."}
    assert not [k for k in kept["counts"] if k[0] == "sex"]


def test_unknown_characteristics_and_categories_are_refused(asks):
    qr = asks.start()
    values = figures(40)
    values["counts"]["sex"] = {"other": 40}
    values["counts"]["height"] = {"tall": 40}

    with pytest.raises(ValidationError) as refused:
        save(asks, qr, **values)

    assert sorted(refused.value.messages) == [
        "Sex has no category “other”.",
        "There is no protected characteristic “height”.",
    ]


def test_a_draft_may_leave_characteristics_unanswered_and_the_section_says_what_is_missing(asks):
    qr = asks.start()

    save(asks, qr, people_reached=12, counts={"age": {"16-24": 12}}, not_collected={})

    section = selectors.return_detail(qr).beneficiaries
    assert section.status == "In progress"
    missing = dict(section.missing)
    assert "age__under-16" not in missing
    assert missing["sex__female"] == ("Give the numbers for sex, or say you did not collect them")


def test_no_people_reached_is_a_complete_section(asks):
    qr = asks.start()

    save(asks, qr, people_reached=0, counts={}, not_collected={})

    assert selectors.return_detail(qr).beneficiaries.status == "Completed"


def test_a_stale_version_is_refused(asks):
    qr = asks.start()
    stale = qr.version
    save(asks, qr, **figures(40))

    with pytest.raises(services.StaleReturnError):
        services.save_beneficiary_figures(
            quarterly_return=qr, by=asks.provider_user, expected_version=stale, **figures(30)
        )

    assert stored(qr)["people"] == 40


@pytest.mark.parametrize("who", ["officer", "other_provider_user", "other_officer"])
def test_only_the_provider_saves_the_figures(asks, who):
    qr = asks.start()

    with pytest.raises(PermissionDenied):
        services.save_beneficiary_figures(
            quarterly_return=qr, by=getattr(asks, who), expected_version=None, **figures(40)
        )

    assert not BeneficiaryFigures.objects.exists()


def test_a_submitted_return_keeps_its_figures(asks):
    qr = asks.complete(asks.start())
    save(asks, qr, **figures(40))
    services.submit_return(quarterly_return=qr, by=asks.provider_user)

    with pytest.raises(services.ReturnStateError):
        save(asks, qr, **figures(30))

    assert stored(qr)["people"] == 40


def test_a_return_of_an_agreement_that_does_not_ask_takes_no_figures(funded):
    qr = funded.start()

    with pytest.raises(ValidationError, match="does not ask for the people"):
        save(funded, qr, **figures(40))


def test_submitting_without_the_figures_is_refused_naming_the_section(asks):
    qr = asks.complete(asks.start())

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=qr, by=asks.provider_user)

    assert refused.value.messages == [
        "People you worked with: enter how many people you worked with in the quarter"
    ]
    save(asks, qr, people_reached=5, counts={}, not_collected={})
    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=qr, by=asks.provider_user)
    assert len(refused.value.messages) == len(CHARACTERISTICS)
    assert refused.value.messages[0] == (
        "People you worked with: give the numbers for age, or say you did not collect them"
    )


def test_a_return_with_its_figures_complete_is_submitted(asks):
    qr = asks.complete(asks.start())
    save(asks, qr, **figures(40, not_collected={"pregnancy-maternity": "Not asked."}))

    submitted = services.submit_return(quarterly_return=qr, by=asks.provider_user)

    assert submitted.status == "submitted"


def test_the_rule_reports_every_problem_at_once():
    errors = figure_errors(
        people_reached=10,
        counts={"age": {"16-24": 4}, "sex": {"female": -1}},
        not_collected={"race": ""},
    )

    assert errors == {
        "age": ["Age: the numbers add up to 4, not the 10 people you worked with"],
        "sex__female": ["Sex, Female: the number cannot be less than 0"],
        "race__reason": ["Race: say why you did not collect it"],
    }


def test_one_person_reached_reads_as_one_person():
    errors = figure_errors(people_reached=1, counts={"sex": {"male": 2}}, not_collected={})

    assert errors["sex"] == ["Sex: the numbers add up to 2, not the 1 person you worked with"]


def test_the_change_history_says_who_changed_what_but_never_a_count_as_entered(asks):
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX))
    save(asks, qr, **figures(3, not_collected={"sex": "Not asked."}))
    published = BeneficiaryFigures.objects.get().people_reached_published

    entries = LogEntry.objects.filter(
        content_type__model__in=["beneficiaryfigures", "characteristicnotcollected"]
    ).order_by("pk")

    assert [(e.content_type.model, e.action) for e in entries] == [
        ("beneficiaryfigures", LogEntry.Action.CREATE),
        ("beneficiaryfigures", LogEntry.Action.UPDATE),
        ("characteristicnotcollected", LogEntry.Action.CREATE),
    ]
    created, changed, reason = entries
    assert "people_reached" not in created.changes_dict
    assert changed.actor == asks.provider_user
    assert published in (0, 5)
    assert changed.changes_dict == {
        "people_reached": ["40", str(published)],
        "counts": [
            "as before",
            "changed for age, disability, gender reassignment, marriage and civil "
            "partnership, pregnancy and maternity, race, religion or belief, sex, sexual "
            "orientation",
        ],
    }
    assert reason.changes_dict["reason"] == [None, "Not asked."]
    assert not LogEntry.objects.filter(content_type__model="beneficiarycount").exists()


def test_a_change_that_publishes_the_same_figures_says_nothing_of_the_counts(asks):
    """3 women and 7 not known, then 2 and 8 or 4 and 6, whichever rounds as the first did (one
    of them does, from any start): the history, which the council reads, has nothing to tell
    them apart by."""
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX))
    first = published_of(qr)

    def rounded(sex):
        return beneficiaries.publish(return_id=qr.pk, people_reached=40, counts={"sex": sex})

    neighbours = [{**SEX, "female": female, "not-known": 10 - female} for female in (2, 4)]
    alike = next(sex for sex in neighbours if rounded(sex) == rounded(SEX))
    save(asks, qr, **figures(40, sex=alike))

    assert published_of(qr) == first
    assert not LogEntry.objects.filter(
        content_type__model="beneficiaryfigures", action=LogEntry.Action.UPDATE
    ).exists()


def test_saving_the_same_figures_again_adds_nothing_to_the_history(asks):
    qr = asks.start()
    save(asks, qr, **figures(40, sex=SEX))
    save(asks, qr, **figures(40, sex=SEX))

    assert not LogEntry.objects.filter(
        content_type__model="beneficiaryfigures", action=LogEntry.Action.UPDATE
    ).exists()
