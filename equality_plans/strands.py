"""The equality strands plans tag their actions with, and reading the codes plans write."""

import re
from dataclasses import dataclass

from sla_monitor import equality

# The nine protected characteristics of the Equality Act 2010 (section 4), in the Act's order.
CHARACTERISTICS = [(c.code, c.name) for c in equality.CHARACTERISTICS]


@dataclass(frozen=True)
class StrandDefinition:
    code: str
    name: str
    characteristics: tuple[str, ...] = ()
    covers_all: bool = False


# Seed 004's key: A=Age, D=Disability, G=Gender including Transgender, M/CP=Marriage & Civil
# Partnership, P/M=Pregnancy & Maternity, R=Race, RB=Religion or Beliefs, SO=Sexual Orientation,
# CC=Community Cohesion, All=All Strands, SE=Socio Economic Deprivation. G names two
# characteristics; S and GR let a plan name either alone.
STRANDS = [
    StrandDefinition("A", "Age", ("age",)),
    StrandDefinition("D", "Disability", ("disability",)),
    StrandDefinition(
        "G", "Gender, including gender reassignment and sex", ("sex", "gender-reassignment")
    ),
    StrandDefinition("S", "Sex", ("sex",)),
    StrandDefinition("GR", "Gender reassignment", ("gender-reassignment",)),
    StrandDefinition("M/CP", "Marriage and civil partnership", ("marriage-civil-partnership",)),
    StrandDefinition("P/M", "Pregnancy and maternity", ("pregnancy-maternity",)),
    StrandDefinition("R", "Race", ("race",)),
    StrandDefinition("RB", "Religion or belief", ("religion-belief",)),
    StrandDefinition("SO", "Sexual orientation", ("sexual-orientation",)),
    StrandDefinition("CC", "Community cohesion"),
    StrandDefinition("SE", "Socio-economic deprivation"),
    StrandDefinition("ALL", "All strands", covers_all=True),
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
