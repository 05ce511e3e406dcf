"""What goes into the field write path and what comes out: reports, their senders, outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Event

if TYPE_CHECKING:
    from pamtps.store import Session


@dataclass(frozen=True)
class Reporter:
    """The officer sending: his user id (keys are his alone), username and NRP."""

    user_id: int
    username: str
    nrp: str
    token_secret: bytes

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}"


@dataclass(frozen=True)
class Report:
    """One field write: its key and fingerprint, its kind and target, its validated body, and
    the channel it came by (``pamtps.ops.channels``)."""

    key: str
    digest: str
    kind: str
    body: Any
    target: str | None = None
    channel: str = "app"


@dataclass(frozen=True)
class Unit:
    """One request's reports: who sent them, when they arrived, the audit action naming them,
    and what to write with their answers in the same transaction (``after``: an SMS's reply)."""

    reporter: Reporter
    reports: list[Report]
    now: datetime
    action: str
    after: Callable[[Session, Ingested], object] | None = None


@dataclass
class Outcome:
    """A report's answer: a status and body, or the refusal; ``replayed`` if from its key."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    error: ServiceError | None = None
    replayed: bool = False


@dataclass
class Ingested:
    """A request's answers, one per report in its order, and the events to publish."""

    outcomes: list[Outcome]
    events: list[Event]
