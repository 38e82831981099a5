"""The equality strands plans tag their actions with, and reading the codes plans write."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from sla_monitor import equality

# The nine protected characteristics of the Equality Act 2010 (section 4), in the Act's order.
CHARACTERISTICS = [(c.code, c.name) for c in equality.CHARACTERISTICS]


@dataclass(frozen=True)
class StrandDefinition:
    code: str
    name: str
    characteristics: tuple[str, ...] = ()
    covers_all: bool = False


# Names are kept in English and shown in the reader's language (gettext of the name).
# Seed 004's key: A=Age, D=Disability, G=Gender including Transgender, M/CP=Marriage & Civil
# Partnership, P/M=Pregnancy & Maternity, R=Race, RB=Religion or Beliefs, SO=Sexual Orientation,
# CC=Community Cohesion, All=All Strands, SE=Socio Economic Deprivation. G names two
# characteristics; S and GR let a plan name either alone.
STRANDS = [
    StrandDefinition("A", gettext_noop("Age"), ("age",)),
    StrandDefinition("D", gettext_noop("Disability"), ("disability",)),
    StrandDefinition(
        "G",
        gettext_noop("Gender, including gender reassignment and sex"),
        ("sex", "gender-reassignment"),
    ),
    StrandDefinition("S", gettext_noop("Sex"), ("sex",)),
    StrandDefinition("GR", gettext_noop("Gender reassignment"), ("gender-reassignment",)),
    StrandDefinition(
        "M/CP", gettext_noop("Marriage and civil partnership"), ("marriage-civil-partnership",)
    ),
    StrandDefinition("P/M", gettext_noop("Pregnancy and maternity"), ("pregnancy-maternity",)),
    StrandDefinition("R", gettext_noop("Race"), ("race",)),
    StrandDefinition("RB", gettext_noop("Religion or belief"), ("religion-belief",)),
    StrandDefinition("SO", gettext_noop("Sexual orientation"), ("sexual-orientation",)),
    StrandDefinition("CC", gettext_noop("Community cohesion")),
    StrandDefinition("SE", gettext_noop("Socio-economic deprivation")),
    StrandDefinition("ALL", gettext_noop("All strands"), covers_all=True),
]
KNOWN_CODES = {strand.code for strand in STRANDS}
_TOKEN = re.compile(r"M\s*/\s*CP|P\s*/\s*M|[A-Za-z]+")
_IGNORED_WORDS = {"AND", "&"}


def parse_strand_codes(text: str) -> tuple[list[str], list[str]]:
    """Read codes as plans write them ("A,D,G M/CP, P/M", "SE/ ALL", "CC, SE and D").

    Returns the known codes in the order written, without repeats, and the tokens that are not
    strand codes, so that an import can report them.
    """
    codes: list[str] = []
    unknown: list[str] = []
    for match in _TOKEN.finditer(text or ""):
        token = re.sub(r"\s+", "", match.group()).upper()
        if token in _IGNORED_WORDS:
            continue
        if token in KNOWN_CODES:
            if token not in codes:
                codes.append(token)
        else:
            unknown.append(match.group())
    return codes, unknown
