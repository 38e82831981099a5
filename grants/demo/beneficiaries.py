"""The people the demo's services worked with, quarter by quarter."""

from grants.models import ReportingPeriod

# The people the cohesion service worked with: made up for the demo, in a mix a service for a
# town like Kettering might see, different each quarter, with the small counts real ones have.
PEOPLE_PER_QUARTER = {1: 46, 2: 58, 3: 39, 4: 64}
PEOPLE_MIX = {
    "age": {
        "under-16": 6,
        "16-24": 14,
        "25-34": 20,
        "35-49": 24,
        "50-64": 18,
        "65-74": 9,
        "75-over": 4,
        "prefer-not-to-say": 2,
        "not-known": 3,
    },
    "disability": {
        "limited-a-lot": 9,
        "limited-a-little": 12,
        "not-disabled": 64,
        "prefer-not-to-say": 5,
        "not-known": 10,
    },
    "gender-reassignment": {"same": 80, "different": 2, "prefer-not-to-say": 6, "not-known": 12},
    "marriage-civil-partnership": {
        "never": 30,
        "married": 38,
        "separated": 4,
        "divorced": 10,
        "widowed": 6,
        "prefer-not-to-say": 5,
        "not-known": 7,
    },
    "pregnancy-maternity": {"yes": 3, "no": 80, "prefer-not-to-say": 4, "not-known": 13},
    "race": {
        "asian-bangladeshi": 1,
        "asian-chinese": 1,
        "asian-indian": 5,
        "asian-pakistani": 2,
        "asian-other": 1,
        "black-african": 4,
        "black-caribbean": 2,
        "black-other": 1,
        "mixed-white-asian": 1,
        "mixed-white-black-african": 1,
        "mixed-white-black-caribbean": 2,
        "mixed-other": 1,
        "white-british": 62,
        "white-irish": 2,
        "white-gypsy-traveller": 1,
        "white-roma": 1,
        "white-other": 8,
        "other-arab": 1,
        "other-any": 1,
        "prefer-not-to-say": 2,
        "not-known": 3,
    },
    "religion-belief": {
        "none": 30,
        "christian": 45,
        "buddhist": 1,
        "hindu": 3,
        "jewish": 1,
        "muslim": 5,
        "sikh": 2,
        "other": 1,
        "prefer-not-to-say": 6,
        "not-known": 6,
    },
    "sex": {"female": 54, "male": 42, "prefer-not-to-say": 2, "not-known": 2},
    "sexual-orientation": {
        "straight": 76,
        "gay-lesbian": 4,
        "bisexual": 3,
        "other": 1,
        "prefer-not-to-say": 9,
        "not-known": 7,
    },
}
# A quarter in which a characteristic was not asked, as happens.
NOT_ASKED = {3: {"pregnancy-maternity": "Not asked at the drop-in sessions this quarter."}}


def demo_people(period: ReportingPeriod) -> dict:
    """The demo's figures of people for a quarter: its total spread over each characteristic's
    categories by the mix above, nudged a little each quarter."""
    total = PEOPLE_PER_QUARTER[period.quarter] + 4 * (period.financial_year % 3)
    not_collected = NOT_ASKED.get(period.quarter, {})
    counts = {
        code: _spread(total, mix, period.financial_year * 4 + period.quarter)
        for code, mix in PEOPLE_MIX.items()
        if code not in not_collected
    }
    return {"people_reached": total, "counts": counts, "not_collected": not_collected}


def _spread(total: int, mix: dict[str, int], seed: int) -> dict[str, int]:
    """`total` shared out in the proportions of `mix`, each nudged by up to a fifth, rounded by
    largest remainder so the shares add up to the total."""
    weights = {
        code: weight * (1 + ((seed + position * 3) % 5 - 2) / 10)
        for position, (code, weight) in enumerate(mix.items())
    }
    whole = sum(weights.values())
    exact = {code: total * weight / whole for code, weight in weights.items()}
    counts = {code: int(share) for code, share in exact.items()}
    by_remainder = sorted(exact, key=lambda code: exact[code] - counts[code], reverse=True)
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return counts
