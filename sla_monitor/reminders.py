"""Reminders other than the grants' own, sent by `manage.py send_reminders`: an app registers
its sender from `AppConfig.ready()`, so that the command, which lives with the grants, reaches
apps the grants may not import."""

import datetime as dt
from collections.abc import Callable, Sequence

Sender = Callable[..., Sequence[object]]
SENDERS: dict[str, Sender] = {}


def register(name: str, send: Sender) -> None:
    """`send(today=...)` sends what is due on `today`, each reminder once, and returns what it
    sent."""
    SENDERS[name] = send


def send_registered(*, today: dt.date) -> list[object]:
    sent: list[object] = []
    for send in SENDERS.values():
        sent.extend(send(today=today))
    return sent
