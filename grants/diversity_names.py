# ruff: noqa: E501, RUF001  (each sentence is the standard's, whole and as it writes it)
"""The names and descriptions of the DEI Data Standard's population groups and categories,
as the diversity questions show them: the taxonomy (dei_extension/taxonomy) is the standard's own
file, in English, so its words are listed here for the catalogue to carry, and shown through
`gettext` of the name. The open data keeps the standard's English titles."""

from django.utils.translation import gettext_noop

NAMES = (
    gettext_noop("Communities experiencing racial inequity"),
    gettext_noop("Black / African / Caribbean / Black British"),
    gettext_noop("African"),
    gettext_noop("Caribbean"),
    gettext_noop("Any other Black/ African/ Caribbean background"),
    gettext_noop("Mixed"),
    gettext_noop("White and Black"),
    gettext_noop("White and Asian"),
    gettext_noop("Any other Mixed / Multiple ethnic background"),
    gettext_noop("Asian / Asian British"),
    gettext_noop("Indian"),
    gettext_noop("Pakistani"),
    gettext_noop("Bangladeshi"),
    gettext_noop("Chinese"),
    gettext_noop("Any other Asian background"),
    gettext_noop("Other Group experiencing ethnic or racial inequity"),
    gettext_noop("Arab"),
    gettext_noop("Jewish"),
    gettext_noop("Gypsy, Roma and Traveller Communities"),
    gettext_noop("Any other Ethnic group"),
    gettext_noop("Disabled people"),
    gettext_noop("Physical Impairment"),
    gettext_noop("Mobility"),
    gettext_noop("Visual impairment/ partial sight/sight loss"),
    gettext_noop("Hard of hearing/ deaf/ hearing loss"),
    gettext_noop("Speech impairment"),
    gettext_noop("Mental Health"),
    gettext_noop("Cognitive differences"),
    gettext_noop("Learning disability"),
    gettext_noop("Learning difficulty"),
    gettext_noop("Neurodivergent"),
    gettext_noop("Health"),
    gettext_noop("Other"),
    gettext_noop("Faith communities"),
    gettext_noop("Faith"),
    gettext_noop("Catholic"),
    gettext_noop("Protestant"),
    gettext_noop("Other Christian denominations"),
    gettext_noop("Buddhist"),
    gettext_noop("Hindu"),
    gettext_noop("Muslim"),
    gettext_noop("Sikh"),
    gettext_noop("Atheist"),
    gettext_noop("Agnostic"),
    gettext_noop("LGBT+ People"),
    gettext_noop("Bisexual people"),
    gettext_noop("Bisexual men"),
    gettext_noop("Bisexual women"),
    gettext_noop("Gay men"),
    gettext_noop("Lesbian/gay women"),
    gettext_noop("Transgender people"),
    gettext_noop("Trans men"),
    gettext_noop("Trans women"),
    gettext_noop("Non-binary people"),
    gettext_noop("Migrants"),
    gettext_noop("Asylum seekers"),
    gettext_noop("Refugees"),
    gettext_noop("Undocumented People"),
    gettext_noop("Other Migrants"),
    gettext_noop("Older people"),
    gettext_noop("Older People"),
    gettext_noop("Children and Young People"),
    gettext_noop("Young adults"),
    gettext_noop("Young people"),
    gettext_noop("Children"),
    gettext_noop("Infants"),
    gettext_noop("People who are educationally or economically disadvantaged"),
    gettext_noop("Women and girls"),
    gettext_noop("Welsh Language Speaking"),
    gettext_noop("Community background"),
    gettext_noop("The Protestant community"),
    gettext_noop("The Catholic community"),
    gettext_noop("Neither"),
)

DESCRIPTIONS = (
    gettext_noop(
        "Communities that experience inequity as a result of their race or ethnic group. Ethnic group refers to the group that people self identify with, which may be related to their national/geographical origin, skin colours, and other identities. This is often referred to as “Black, Asian and Minority Ethnic” or BAME."
    ),
    gettext_noop(
        "Organisations working on racial justice or supporting people from multiple communities"
    ),
    gettext_noop("Mixed Black/ Black British"),
    gettext_noop("Mixed groups"),
    gettext_noop("Mixed Asian/ Asian British"),
    gettext_noop(
        "self-identify as disabled, with particular impairments, which have a long-term impact on quality of life"
    ),
    gettext_noop("Working with people across multiple disabilities"),
    gettext_noop("Working with people with multiple or different physical impairments"),
    gettext_noop(
        "Physical/mobility impairment, such as a difficulty using your arms or mobility issues which require you to use a wheelchair or crutches"
    ),
    gettext_noop("Visual impairment, such as being blind or having a serious visual impairment"),
    gettext_noop("Hearing impairment, such as being deaf or having a serious hearing impairment"),
    gettext_noop("Impaired ability to produce speech sounds"),
    gettext_noop(
        "Mental health condition or experience, such as depression or psychosis or addiction that impacts people’s lives"
    ),
    gettext_noop("Multiple or different cognitive differences"),
    gettext_noop(
        "A reduced intellectual ability and difficulty with everyday activities which affects someone for their whole life, such as Down’s Syndrome"
    ),
    gettext_noop("Learning difficulties such as dyslexia and ADHD"),
    gettext_noop(
        "Cognitive difference such as autistic spectrum disorder where individuals are impacted by the social environment"
    ),
    gettext_noop(
        "Long-standing illness or health condition, such as cancer, HIV, diabetes, chronic heart disease or epilepsy, or other rare conditions"
    ),
    gettext_noop(
        "Other - An impairment, medical condition or environmental disadvantage that is not listed above"
    ),
    gettext_noop("Interfaith and multi-faith groups"),
    gettext_noop("People who describe their faith as Catholic or Roman Catholic"),
    gettext_noop(
        "Anglicans, Adventists, Baptists, Methodists, Pentecostals, Presbyterians, Religious Society of Friends, Reformed Churches and other Protestant denominations"
    ),
    gettext_noop("Orthodox and other denominations"),
    gettext_noop("Other faiths and beliefs"),
    gettext_noop("Lesbian, Gay, Bisexual and Trans + people"),
    gettext_noop("Working with LGBT+ people with multiple identities"),
    gettext_noop("All bisexual people"),
    gettext_noop("All transgender people"),
    gettext_noop("Other LGBT+ People, including queer and intersex people"),
    gettext_noop("Groups who are first generation and/or recent migrants to the UK"),
    gettext_noop("Migrants with multiple status"),
    gettext_noop(
        "This includes other migrants with official immigration status, e.g. international students; and who are naturalised British"
    ),
    gettext_noop("Typically those aged 60 and over"),
    gettext_noop("Typically people under 26 but sometimes people under 19"),
    gettext_noop("Typically young people from 16 to 25 years of age"),
    gettext_noop("Typically young people from 8 to 25"),
    gettext_noop("Under 16"),
    gettext_noop("Under 2 years of age"),
    gettext_noop(
        "self-identify as from an economically and/ or educationally disadvantaged background, including working class backgrounds, with long-term impact on their life outcomes; also people currently experiencing financial hardship"
    ),
    gettext_noop(
        "This will be defined by the organisation, such as children eligible for free school meals or for adults were eligible for free school meals as a child, families receiving benefits or universal credit, people who are homeless, people who did not complete formal education or otherwise considered in deprivation or poverty etc."
    ),
    gettext_noop("Those who identify and live as  women and girls"),
    gettext_noop("Those who identify and live as women and girls"),
)
