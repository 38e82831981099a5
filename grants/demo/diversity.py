"""The demo providers' answers about their own diversity."""

import datetime as dt

from grants import diversity, services
from sla_monitor import periods
from sla_monitor.models import User


def load_diversity(users: dict[str, User], today: dt.date) -> None:
    """The cohesion network has answered this year's questions on its own diversity, and lets
    them be published; the volunteer centre has not answered (answering is optional)."""
    provider = users.get("provider")
    year = periods.financial_year_of(today)
    if provider is None or provider.organisation.diversity_answers.filter(financial_year=year):
        return
    services.record_diversity(
        organisation=provider.organisation,
        by=provider,
        financial_year=year,
        leadership=diversity.AreaAnswer(
            reply=diversity.REPLY_GOT,
            codes=("DEI010000",),
            geography="Most of our trustees and staff live in Kettering.",
        ),
        mission=diversity.AreaAnswer(reply=diversity.REPLY_GOT, codes=("DEI010000", "DEI050000")),
        may_publish=True,
    )
