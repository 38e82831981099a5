"""The demo's equality impact assessments, made through the services as the councils' officers
make them, so only with the demo's people:

- Kingston's screening of its Dementia Strategy, which action 27 of its 2015-16 plan (seed 004)
  calls for: a full assessment is needed, and it is a draft waiting for it.
- Leicester's full assessment of its £600,000 Community Cohesion Fund 2004/5 (seed 002), drawing
  on the research and consultation of the fund's Phase 1: its mitigations are actions of
  Leicester's Community Cohesion Action Plan 2004-05, and its senior officer signed it off
  before it was published.

An assessment already there (by its council and title) is left as it is.
"""

import datetime as dt

from django.utils import timezone

from equality_plans.assessments import services
from equality_plans.models import (
    ActionPlan,
    Assessment,
    Impact,
    Outcome,
    ScreeningOutcome,
    Section,
    Subject,
)
from grants.models import Fund
from grants.seeds import LEICESTER_FUND
from sla_monitor.models import Organisation, User

KINGSTON_TITLE = "Dementia Strategy for Kingston upon Thames"
LEICESTER_TITLE = "Community Cohesion Fund 2004/5"
LEICESTER_PLAN = "Community Cohesion Action Plan 2004-05"
KINGSTON_PLAN = "Equality Objectives and Community Cohesion Action Plan 2015-2016"
# Kingston's plan action that calls for the Dementia Strategy's assessment (seed 004).
DEMENTIA_ACTION = "27"

NOT_RELEVANT = (
    "The strategy does not treat this group differently, and nothing in the evidence we hold "
    "suggests it affects them differently."
)

# group: (relevant, why)
KINGSTON_SCREENING = {
    "age": (
        True,
        "Most people with dementia are over 65, and early-onset dementia affects younger people "
        "whose services are different. The strategy's aim of early diagnosis is measured for "
        "that age group.",
    ),
    "disability": (
        True,
        "Dementia is a disability under the Equality Act. People with learning disabilities, "
        "Down's syndrome in particular, develop dementia more often and earlier, and are harder "
        "to diagnose.",
    ),
    "carers": (
        True,
        "Most people with dementia in Kingston are looked after at home by a partner or a "
        "grown-up child. The strategy changes the support, respite and advice carers get.",
    ),
    "sex": (
        True,
        "More women than men live with dementia, because women live longer, and most unpaid "
        "carers are women.",
    ),
    "race": (
        False,
        "Not relevant on what we know now: the estimate of early diagnosis is not broken down "
        "by ethnic group. Action 27 (ii) looks at whether it can be; the full assessment looks "
        "again if it shows a gap.",
    ),
}

LEICESTER_SCREENING = {
    "race": (
        True,
        "The fund's purpose is good relations between people of different racial groups, which "
        "the Race Relations Act 1976, as amended in 2000, places a duty on the council to "
        "promote.",
    ),
    "religion-belief": (
        True,
        "The faith sector took part in the consultation, and activities between faiths are among "
        "those the fund is expected to pay for.",
    ),
    "age": (
        True,
        "Young people were consulted as a group of their own and asked for activities they run "
        "themselves; the cabinet report marks the elderly as affected.",
    ),
    "socio-economic": (
        True,
        "The cabinet report marks people on low income as affected. The fund is spread through "
        "applications, which the smallest groups in the poorest wards find hardest to make.",
    ),
}

LEICESTER_EVIDENCE = (
    "Phase 1 of the community cohesion project: the Leicester Partnership's baseline assessment "
    "of community cohesion in 2002, and the Improvement and Development Agency's report "
    "“Taking Forward Community Cohesion in Leicester” (February 2003). The Home Office's "
    "“Building a Picture of Community Cohesion” (July 2003) and its joint guidance for local "
    "strategic partnerships. The “Report on the Community and Sector Consultation on Community "
    "Cohesion” (February 2004), which found five themes and four issues that cut across them."
)
LEICESTER_CONSULTATION = (
    "Workshops in September and October 2003 with a wide range of community groups, young "
    "people, the faith sector and Leicester residents; every participant was sent the notes of "
    "their workshop. The outline strategy was then taken to the Corporate Equalities Strategy "
    "Group (27 November 2003), the Corporate Directors Board (16 December 2003), the African "
    "Caribbean Working Group and the Equalities Standards Steering Group (15 January 2004), the "
    "Leicester Mercury Advisory Group (12 February 2004) and the Community Cohesion Project Team "
    "(24 February 2004), and changed where they asked."
)
# group: (impact, explanation)
LEICESTER_IMPACTS = {
    "race": (
        Impact.POSITIVE,
        "Activities that bring people of different backgrounds together, which the consultation "
        "asked for, are what the fund pays for.",
    ),
    "religion-belief": (
        Impact.POSITIVE,
        "Faith groups can apply, and work between faiths meets the fund's criteria.",
    ),
    "age": (
        Impact.NEGATIVE,
        "The draft criteria fund constituted organisations. Few youth groups are constituted, so "
        "the young people who asked for activities of their own would mostly be left out.",
    ),
    "socio-economic": (
        Impact.NEGATIVE,
        "A written application favours groups with paid staff. Small groups in the wards with "
        "the most deprivation, where cohesion work is most needed, are least likely to apply.",
    ),
}
LEICESTER_MITIGATIONS = [
    (
        "age",
        "Let youth groups apply through a constituted partner organisation, and set part of the "
        "fund aside for activities that young people plan and lead.",
        "Q1 2004/05",
    ),
    (
        "socio-economic",
        "Hold application surgeries in the wards with the most deprivation before each funding "
        "round, and accept a short application for grants under £5,000.",
        "Q2 2004/05",
    ),
    (
        "race",
        "Publish the fund's criteria and application form in the city's main community languages.",
        "",
    ),
]


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> list[Assessment]:
    needed = ("admin", "planmanager", "leicester", "leicestersenior")
    if any(users.get(name) is None for name in needed):
        return []
    councils = {o.short_code: o for o in organisations.values() if o.short_code}
    return [
        _load_kingston(councils["RBK"], users["planmanager"]),
        _load_leicester(councils["LCC"], users),
    ]


def _existing(council: Organisation, title: str) -> Assessment | None:
    return Assessment.objects.filter(council=council, title=title).order_by("version").last()


def _screening(assessment: Assessment, answers: dict) -> dict:
    """Every group the assessment considers answered: those named as given, the rest not
    relevant."""
    return {
        judgement.group: answers.get(judgement.group, (False, NOT_RELEVANT))
        for judgement in assessment.judgements.all()
    }


def _load_kingston(council: Organisation, owner: User) -> Assessment:
    existing = _existing(council, KINGSTON_TITLE)
    if existing is not None:
        return existing
    plan = ActionPlan.objects.get(owner=council, title=KINGSTON_PLAN)
    assessment = services.start_assessment(
        council=council,
        by=owner,
        details={
            "title": KINGSTON_TITLE,
            "subject": Subject.POLICY,
            "owner": owner,
            "directorate": "Adult Social Care & Health",
            "decision": (
                "Whether the council and Kingston's clinical commissioning group adopt the "
                "Dementia Strategy for Kingston upon Thames, and how its early diagnosis work "
                "reaches every group."
            ),
            "called_for_by": list(plan.actions.filter(number=DEMENTIA_ACTION)),
        },
    )
    return services.record_screening(
        assessment=assessment,
        by=owner,
        version=assessment.lock_version,
        answers=_screening(assessment, KINGSTON_SCREENING),
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )


def _leicester_plan(council: Organisation) -> tuple[ActionPlan, Section]:
    plan, _created = ActionPlan.objects.get_or_create(
        owner=council,
        title=LEICESTER_PLAN,
        defaults={
            "goal": "Leicester's communities get on well together and feel they belong.",
            "description": (
                "Phase 3 of the community cohesion project: the emerging action plan the "
                "Community Cohesion Action Planning Group develops from the strategy's five "
                "themes (Cabinet, 15 March 2004)."
            ),
            "start_date": dt.date(2004, 4, 1),
            "end_date": dt.date(2005, 3, 31),
            "section_label": "Theme",
        },
    )
    funding, _created = Section.objects.get_or_create(
        plan=plan, title="The community cohesion fund", defaults={"order": 1, "number": "1"}
    )
    Section.objects.get_or_create(
        plan=plan,
        title="Consultation and engagement",
        defaults={"order": 2, "number": "2"},
    )
    return plan, funding


def _load_leicester(council: Organisation, users: dict[str, User]) -> Assessment:
    existing = _existing(council, LEICESTER_TITLE)
    if existing is not None:
        return existing
    owner, senior, admin = users["leicester"], users["leicestersenior"], users["admin"]
    plan, section = _leicester_plan(council)
    assessment = services.start_assessment(
        council=council,
        by=owner,
        details={
            "title": LEICESTER_TITLE,
            "subject": Subject.FUND,
            "fund": Fund.objects.get(council=council, name=LEICESTER_FUND["name"]),
            "owner": owner,
            "directorate": "Chief Executive's Office",
            "decision": (
                "How the £600,000 set aside from the 2004/5 budget for community cohesion "
                "activities is distributed: who may apply, the criteria and the upper limit of "
                "a grant."
            ),
            "decision_date": dt.date(2004, 3, 15),
        },
    )
    assessment = services.record_screening(
        assessment=assessment,
        by=owner,
        version=assessment.lock_version,
        answers=_screening(assessment, LEICESTER_SCREENING),
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )
    assessment = services.record_full_assessment(
        assessment=assessment,
        by=owner,
        version=assessment.lock_version,
        evidence=LEICESTER_EVIDENCE,
        consultation=LEICESTER_CONSULTATION,
        impacts=LEICESTER_IMPACTS,
        outcome=Outcome.ADJUST,
        justification="",
        review_date=timezone.localdate() + dt.timedelta(days=365),
    )
    for group, wording, timescale in LEICESTER_MITIGATIONS:
        mitigation = services.add_mitigation(
            assessment=assessment,
            by=owner,
            version=Assessment.objects.get(pk=assessment.pk).lock_version,
            group=group,
            wording=wording,
        )
        if timescale:
            # Leicester has no plan manager in the demo: the service's administrator adds the
            # actions to its plan.
            services.mitigation_to_action(
                mitigation=mitigation,
                by=admin,
                version=Assessment.objects.get(pk=assessment.pk).lock_version,
                plan=plan,
                section=section,
                owner=owner,
                timescale=timescale,
                lead_responsibility="Community Cohesion Fund Officer",
            )
    assessment = services.submit_assessment(
        assessment=assessment,
        by=owner,
        version=Assessment.objects.get(pk=assessment.pk).lock_version,
    )
    assessment = services.sign_off_assessment(
        assessment=assessment,
        by=senior,
        version=assessment.lock_version,
        comment="The changes to the criteria are agreed; review once the first round is paid.",
    )
    return services.publish_assessment(
        assessment=assessment, by=owner, version=assessment.lock_version
    )
