import pytest

from equality_plans.strands import parse_strand_codes


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        ("A,D,G M/CP, P/M, R,RB, SO", ["A", "D", "G", "M/CP", "P/M", "R", "RB", "SO"]),
        ("SE/ ALL", ["SE", "ALL"]),
        ("CC, SE and D", ["CC", "SE", "D"]),
        ("All, D", ["ALL", "D"]),
        ("G R", ["G", "R"]),
        ("A,D,G ,R", ["A", "D", "G", "R"]),
        ("D, A, R, SE, CC", ["D", "A", "R", "SE", "CC"]),
        ("", []),
        ("R, R", ["R"]),
    ],
)
def test_strand_codes_as_plans_write_them(written, codes):
    assert parse_strand_codes(written) == (codes, [])


def test_unknown_codes_are_reported_not_dropped_silently():
    assert parse_strand_codes("A, XY, D") == (["A", "D"], ["XY"])
