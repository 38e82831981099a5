"""The groups an equality impact assessment considers: the nine protected characteristics of the
Equality Act 2010, socio-economic disadvantage (the socio-economic duty, section 1), and those a
council chooses to add: the Welsh language (which Welsh councils must consider), carers and the
armed forces community."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sla_monitor.equality import CHARACTERISTICS, OPTIONAL_ASSESSMENT_GROUPS


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    # A protected characteristic of the Equality Act, which equality plans' strands name.
    protected: bool = False
    # The strand code a plan's action made from a mitigation for this group is tagged with.
    strand: str = ""


SOCIO_ECONOMIC = Group("socio-economic", _("Socio-economic disadvantage"), strand="SE")
# Each characteristic's own strand (seed 004's key; S and GR name sex and gender reassignment
# alone).
STRAND_OF = {
    "age": "A",
    "disability": "D",
    "gender-reassignment": "GR",
    "marriage-civil-partnership": "M/CP",
    "pregnancy-maternity": "P/M",
    "race": "R",
    "religion-belief": "RB",
    "sex": "S",
    "sexual-orientation": "SO",
}
OPTIONAL = tuple(Group(code, name) for code, name in OPTIONAL_ASSESSMENT_GROUPS)
ALWAYS = (
    *(Group(c.code, c.name, protected=True, strand=STRAND_OF[c.code]) for c in CHARACTERISTICS),
    SOCIO_ECONOMIC,
)
ALL = (*ALWAYS, *OPTIONAL)
BY_CODE = {group.code: group for group in ALL}
OPTIONAL_CHOICES = [(group.code, group.name) for group in OPTIONAL]


def groups_of(council) -> tuple[Group, ...]:
    """The groups the council's assessments consider, in order."""
    chosen = set(council.assessment_groups or ())
    return (*ALWAYS, *(group for group in OPTIONAL if group.code in chosen))


def name_of(code: str) -> str:
    group = BY_CODE.get(code)
    return str(group.name) if group else code
