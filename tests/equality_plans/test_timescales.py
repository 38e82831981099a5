import csv
import datetime as dt

import pytest

from equality_plans.demo import KINGSTON_CSV, LEICESTERSHIRE_CSV
from equality_plans.timescales import parse_due_date, split_lead_and_timescale


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("On-going", None),
        ("TBC", None),
        ("", None),
        ("Varied according to partner timetable", None),
        ("October", None),
        ("2015-2016", dt.date(2016, 3, 31)),
        ("2015 -2016", dt.date(2016, 3, 31)),
        ("2015-16", dt.date(2016, 3, 31)),
        ("2015- 16", dt.date(2016, 3, 31)),
        ("2015/16", dt.date(2016, 3, 31)),
        ("April 2016", dt.date(2016, 4, 30)),
        ("March 2012", dt.date(2012, 3, 31)),
        ("End July 2015", dt.date(2015, 7, 31)),
        ("End September 2015", dt.date(2015, 9, 30)),
        ("Q3 2015/16", dt.date(2015, 12, 31)),
        ("Q4 2015-2016", dt.date(2016, 3, 31)),
        ("Q3 2015-2016 Q4 2015-2016", dt.date(2016, 3, 31)),
        ("August 2011 October 2011", dt.date(2011, 10, 31)),
        ("June 2011 and on-going thereafter", dt.date(2011, 6, 30)),
        ("December 2011 and yearly thereafter", dt.date(2011, 12, 31)),
        ("Start June 2011", dt.date(2011, 6, 30)),
        ("2017", dt.date(2017, 12, 31)),
    ],
)
def test_due_date_read_from_timescales_as_plans_write_them(written, due):
    assert parse_due_date(written) == due


@pytest.mark.parametrize(
    ("written", "lead", "timescale"),
    [
        ("HR Manager 2015 -2016", "HR Manager", "2015 -2016"),
        ("DASV Strategic Leads End July 2015", "DASV Strategic Leads", "End July 2015"),
        (
            "Director of Children's Social Care, 2015-16",
            "Director of Children's Social Care",
            "2015-16",
        ),
        ("Head of Revenue and Benefits October", "Head of Revenue and Benefits", "October"),
        ("Service Manager, Green spaces", "Service Manager, Green spaces", ""),
        (
            "Group Managers 2015-2016 Waste Service Manager 2015-2016",
            "Group Managers; Waste Service Manager",
            "2015-2016",
        ),
        (
            "Care Act Project Manager/s Q3 2015-2016 Q4 2015-2016 Q3 2015-2016",
            "Care Act Project Manager/s",
            "Q3 2015-2016 Q4 2015-2016",
        ),
    ],
)
def test_seed_004_lead_and_timescale_are_told_apart(written, lead, timescale):
    assert split_lead_and_timescale(written) == (lead, timescale)


def test_every_timescale_in_seeds_003_and_004_is_understood():
    """Each timescale either gives a date or is one of the forms that has none."""
    without_date = {"", "On-going", "TBC", "October"}
    written = set()
    with LEICESTERSHIRE_CSV.open(encoding="utf-8") as handle:
        written |= {row["Target/Date"] for row in csv.DictReader(handle)}
    with KINGSTON_CSV.open(encoding="utf-8") as handle:
        written |= {
            split_lead_and_timescale(row["Lead Responsibility & Timescales"])[1]
            for row in csv.DictReader(handle)
        }

    unread = {t for t in written if parse_due_date(t) is None} - without_date
    assert unread == {
        "Varied according to partner timetable",
        "Vary according to district/ borough needs",
    }
