"""Random rounding to base 5: the one rule equality figures pass before they leave the provider.

Every count of people a return gives (the people reached, and for each protected characteristic
the people in each category) is published rounded to a multiple of 5, up or down at random: the
Office for National Statistics' random rounding. It is done once, when the provider saves the
figures, and the rounded figures are stored beside the true ones. Anyone but the return's
provider reads only the rounded figures, and every total shown anywhere (a quarter, a year, a
fund, a plan's span) is a sum of them. So whatever pages, periods, funds, downloads or moments a
reader sets side by side, what they hold is a function of the rounded figures of single returns,
and no difference or combination of them says more than those do. Rounding each table on its
own, or hiding small cells table by table, cannot promise that: a year less its quarters, or all
funds less one, gives the hidden count back.

How one return is rounded. Write P for the people reached and, for one characteristic, x_1..x_n
for its counts in the characteristic's fixed order of categories; they add up to P.

- A start u in [0, 5) is drawn by a keyed hash (HMAC-SHA256) of the return's id and P, with a
  key derived from the site's secret: a reader cannot compute it, the same figures always round
  the same way (reloading a page or saving the same figures again draws nothing new to average
  over), and changed figures draw again.
- Each characteristic's cells are rounded by systematic sampling. Lay the residues r_i = x_i mod 5
  end to end, cell i taking the segment [s_i, s_i + r_i) where s_i is the sum of the earlier
  residues, and put points at u, u + 5, u + 10, ... Cell i rounds up to the next multiple of 5
  when a point falls in its segment, and down otherwise. A segment is shorter than 5, so it
  holds at most one point; u is uniform over a stretch of 5, so a point falls in it with
  probability r_i / 5, which is what makes the rounding unbiased: x_i - r_i + 5 r_i / 5 = x_i on
  average. A multiple of 5 (0 among them) has no segment and is never changed.
- P is a table of one cell, rounded with the same u: up when u < P mod 5.
- The cells add up to the rounded P. The residues of a characteristic sum to R = P mod 5 + 5q for
  some whole q, because the counts sum to P. The points in [0, R) are u, u + 5, ..., one for
  each of q whole stretches of 5 and one more when u < P mod 5: exactly as many cells round up as
  make the rounded cells, which lose R and gain 5 for each, add up to P - P mod 5 + 5 [u < P mod 5].
  Every characteristic of the return is rounded with the same u, so every one of them adds up to
  the same rounded P, and a return's published tables agree with each other and with its
  published people reached.

The segment ends are whole numbers, so only the whole part of u decides anything: u is drawn as
a whole number from 0 to 4, each equally likely.

What a reader can tell: every published figure is a multiple of 5; a true 0 is published as 0; a
published 0 stands for 0 to 4 people and a published 5 for 1 to 9. Within a return, the rule that
a characteristic's cells add up to the people reached tells a reader nothing that the rounding
of each cell does not already allow (the tests search for a count from 1 to 4 that could be
worked out and find none). The rule is pure: no database, no Django, so its properties can be
tested on every return hypothesis can think of.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

BASE = 5
_KEY_SALT = b"sla_monitor.suppression: the start of a return's random rounding"


def rounding_key(secret: str) -> bytes:
    """The key the starts are drawn with, derived from the site's secret (SECRET_KEY) for this use
    alone."""
    return hmac.new(_KEY_SALT, secret.encode(), hashlib.sha256).digest()


def start(key: bytes, return_id: int, people: int) -> int:
    """A return's start u, 0 to 4: secret to whoever lacks the key, the same for the same return
    and people reached."""
    digest = hmac.new(key, f"{return_id}:{people}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest, "big") % BASE


def round_cells(counts: Sequence[int], u: int) -> tuple[int, ...]:
    """One characteristic's counts, in its categories' order, rounded by systematic sampling
    from the start u (0 to 4)."""
    if not 0 <= u < BASE:
        raise ValueError(f"The start must be a whole number from 0 to {BASE - 1}.")
    rounded = []
    segment_start = 0
    for count in counts:
        if count < 0:
            raise ValueError("Counts cannot be negative.")
        residue = count % BASE
        # The first point at or after the segment's start is (u - start) mod 5 further on.
        up = (u - segment_start) % BASE < residue
        rounded.append(count - residue + (BASE if up else 0))
        segment_start += residue
    return tuple(rounded)


@dataclass(frozen=True)
class Rounded:
    """A return's figures as they are published."""

    people: int
    counts: dict[str, tuple[int, ...]]  # by characteristic, in its categories' order


def round_return(people: int, counts: Mapping[str, Sequence[int]], u: int) -> Rounded:
    """A return's people reached and its characteristics' counts, rounded with one start u. Where
    a characteristic's counts add up to `people`, its rounded counts add up to the rounded
    people."""
    return Rounded(
        round_cells((people,), u)[0],
        {code: round_cells(cells, u) for code, cells in counts.items()},
    )


def publish_return(
    people: int, counts: Mapping[str, Sequence[int]], *, key: bytes, return_id: int
) -> Rounded:
    """A return's figures as they are published: rounded from the start the key draws for it."""
    return round_return(people, counts, start(key, return_id, people))
