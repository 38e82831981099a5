"""A funded organisation's own diversity, as the 360Giving DEI Extension asks it: who leads the
organisation and whom its mission serves, in the DEI Data Standard's taxonomy of communities that
face structural inequity.

The code lists and the taxonomy are the extension's own (version 1.0, vendored unchanged in
`grants/dei_extension/`): codes are what is stored and published, titles what people read. The
extension has three application areas; a council asks its providers about two of them, their
leadership and their mission, once a year. The third, a project's beneficiaries, is what the
quarterly returns count, so it is published as not asked.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EXTENSION = "dei"  # the code that declares the extension in 360Giving data
EXTENSION_VERSION = "1.0"
FILES = Path(__file__).parent / "dei_extension"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    description: str


def _codelist(name: str) -> dict[str, Code]:
    with (FILES / "codelists" / name).open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, skipinitialspace=True)
        return {r["Code"]: Code(r["Code"], r["Title"], r["Description"]) for r in rows if r["Code"]}


ASKED_STATUS = _codelist("askedStatus.csv")
REPLY_STATUS = _codelist("replyStatus.csv")
AVAILABLE_OPTIONS = _codelist("availableOptions.csv")
TAXONOMY_CODES = _codelist("taxonomyCodes.csv")

NOT_ASKED = "AS100"  # not asked: not applicable
ASKED_AFTER_AWARD = "AS201"  # asked after the application process
REPLY_GOT = "RS200"
REPLY_GENERAL = "RS201"
REPLY_PREFER_NOT_TO_SAY = "RS202"
REPLY_NOT_FOR_PUBLICATION = "RS203"
# What a provider may answer, and so what the open data says it was offered: every level of the
# taxonomy, a place, other lived experience, "general" and "prefer not to say".
OFFERED = ("AO100", "AO101", "AO102", "AO200", "AO201", "AO300", "AO301")
REPLIES = (REPLY_GOT, REPLY_GENERAL, REPLY_PREFER_NOT_TO_SAY)

LIVED_EXPERIENCE_LENGTH = 500
GEOGRAPHY_LENGTH = 200


@dataclass(frozen=True)
class Option:
    """A code a provider may choose within a population group; `level` 0 is the group as a
    whole, 1 a category, 2 a subcategory."""

    code: str
    title: str
    description: str
    level: int


@dataclass(frozen=True)
class PopulationGroup:
    prefix: str
    name: str
    description: str
    options: tuple[Option, ...]


def _population_groups() -> tuple[PopulationGroup, ...]:
    taxonomy = json.loads((FILES / "taxonomy" / "taxonomy.json").read_text(encoding="utf-8"))
    groups = []
    for group in taxonomy["population_groups"]:
        options = []
        for category in group["categories"]:
            level = 0 if category["is_top_level_option_in_population_group"] else 1
            options.append(
                Option(category["code"], category["name"], category["description"], level)
            )
            options += [
                Option(sub["code"], sub["name"], sub["description"], 2)
                for sub in category["sub_categories"]
            ]
        groups.append(
            PopulationGroup(group["prefix"], group["name"], group["description"], tuple(options))
        )
    return tuple(groups)


POPULATION_GROUPS = _population_groups()
GROUP_OF = {o.code: g for g in POPULATION_GROUPS for o in g.options}
ORDER = {code: n for n, code in enumerate(TAXONOMY_CODES)}


@dataclass(frozen=True)
class Area:
    """One of the extension's application areas, as the app asks about it."""

    key: str
    name: str
    question: str
    hint: str
    replies: tuple[tuple[str, str], ...]  # (reply status code, the answer's wording)
    read_as: tuple[tuple[str, str], ...]  # (reply status code, the answer as others read it)
    unanswered: str
    geography_hint: str


AREAS = (
    Area(
        key="leadership",
        name=_("Leadership"),
        question=_("Is your organisation led by people from any of these communities?"),
        hint=(
            _(
                "Answer yes for a community that makes up most (more than half) of your "
                "leadership: your trustees or board, and your senior staff."
            )
        ),
        replies=(
            (REPLY_GOT, _("Yes")),
            (
                REPLY_GENERAL,
                _("No, our leadership is not mainly from any one of these communities"),
            ),
            (REPLY_PREFER_NOT_TO_SAY, _("I prefer not to say")),
        ),
        read_as=(
            (REPLY_GOT, _("Led mainly by people from:")),
            (REPLY_GENERAL, _("Not led mainly by people from any one of the communities")),
            (REPLY_PREFER_NOT_TO_SAY, _("Preferred not to say")),
        ),
        unanswered=_("Say whether your organisation is led by people from these communities"),
        geography_hint=_("If most of your leaders come from one area, say which."),
    ),
    Area(
        key="mission",
        name=_("Mission"),
        question=_("Is your organisation's mission focused on any of these communities?"),
        hint=_("Answer yes for a community that your mission and purpose are mainly for."),
        replies=(
            (REPLY_GOT, _("Yes")),
            (REPLY_GENERAL, _("No, our mission is general: not aimed at any one community")),
            (REPLY_PREFER_NOT_TO_SAY, _("I prefer not to say")),
        ),
        read_as=(
            (REPLY_GOT, _("Focused on:")),
            (REPLY_GENERAL, _("General: not aimed at any one community")),
            (REPLY_PREFER_NOT_TO_SAY, _("Preferred not to say")),
        ),
        unanswered=_("Say whether your organisation's mission is focused on these communities"),
        geography_hint=_("If your mission is for the people of one area, say which."),
    ),
)
AREA = {a.key: a for a in AREAS}

PURPOSES = (
    "Councils ask the organisations they fund, once a year and only if they choose to answer, "
    "who leads them and whom their mission serves, to see whether their grants reach "
    "organisations led by and working for communities that face structural inequity."
)


@dataclass(frozen=True)
class AreaAnswer:
    """A provider's answer about one area: a reply status and, for a reply got, the codes and
    words it gave."""

    reply: str
    codes: tuple[str, ...] = ()
    lived_experience: str = ""
    geography: str = ""

    @property
    def given(self) -> bool:
        return self.reply == REPLY_GOT

    def choices(self) -> list[tuple[PopulationGroup, Option]]:
        """Each chosen code with its population group, in the taxonomy's order."""
        return [
            (GROUP_OF[c], next(o for o in GROUP_OF[c].options if o.code == c))
            for c in self.codes
            if c in GROUP_OF
        ]

    def reply_wording(self, area: Area) -> str:
        """The answer's words as the question offered them."""
        return dict(area.replies).get(self.reply, self.reply)


@dataclass(frozen=True)
class Answered:
    """An area and the answer given about it."""

    area: Area
    answer: AreaAnswer

    @property
    def wording(self) -> str:
        """The answer as someone other than the one who gave it reads it."""
        return dict(self.area.read_as).get(self.answer.reply, self.answer.reply)


def cleaned(answer: AreaAnswer) -> AreaAnswer:
    """The answer as it is kept: its words trimmed, its codes once each in the taxonomy's order."""
    codes = tuple(sorted(set(answer.codes), key=lambda c: ORDER.get(c, len(ORDER))))
    return AreaAnswer(
        answer.reply, codes, answer.lived_experience.strip(), answer.geography.strip()
    )


def problems(area: Area, answer: AreaAnswer) -> dict[str, str]:
    """What is wrong with an answer, by the part it is wrong in: reply, codes, lived_experience,
    geography. Nothing when it may be kept."""
    found = {}
    if answer.reply not in REPLIES:
        found["reply"] = area.unanswered
    unknown = [c for c in answer.codes if c not in TAXONOMY_CODES]
    if unknown:
        found["codes"] = gettext(
            "%(codes)s is not in the DEI Data Standard's list of communities"
        ) % {"codes": ", ".join(unknown)}
    else:
        by_group: dict[str, list[str]] = {}
        for code in answer.codes:
            by_group.setdefault(GROUP_OF[code].name, []).append(code)
        for name, codes in by_group.items():
            if len(codes) > 1:
                found["codes"] = gettext("Choose one answer for %(group)s, not %(chosen)s") % {
                    "group": gettext(name),
                    "chosen": gettext(" and ").join(
                        gettext(TAXONOMY_CODES[c].title) for c in codes
                    ),
                }
                break
    if len(answer.lived_experience) > LIVED_EXPERIENCE_LENGTH:
        found["lived_experience"] = gettext(
            "Describe other lived experience in %(most)s characters or fewer"
        ) % {"most": LIVED_EXPERIENCE_LENGTH}
    if len(answer.geography) > GEOGRAPHY_LENGTH:
        found["geography"] = gettext("Name the place in %(most)s characters or fewer") % {
            "most": GEOGRAPHY_LENGTH
        }
    has_detail = bool(answer.codes or answer.lived_experience or answer.geography)
    if "reply" not in found:
        if answer.given and not has_detail:
            found["reply"] = gettext(
                "You answered yes: choose at least one community, or describe the lived "
                "experience or the place"
            )
        elif not answer.given and has_detail:
            found["reply"] = gettext(
                "You chose communities or described them, but answered “%(reply)s”: answer "
                "yes, or clear them"
            ) % {"reply": answer.reply_wording(area)}
    return found
