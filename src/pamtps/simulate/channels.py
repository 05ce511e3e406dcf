"""Which way each report of the simulated day travels: pure and seeded.

A post's phone sends a report at once by the app, by SMS (a share of the reports the SMS syntax
can state), or keeps it in its offline queue (a share of the reports) until the signal comes back
``queue_delay_min`` later. A queue is first in, first out: what the phone reports while a queue
waits joins it, so the queue is sent in order and never overtaken by a later report. A queued
report keeps the phone's time, the moment it happened; the command can only answer an incident
once it has arrived, so its steps move later by the same delay.

The draws use their own random stream, so the day's events are those of the same seed without
channels.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace

from pamtps.simulate.day import COMMAND, Action

APP, QUEUE, SMS = "app", "queue", "sms"


@dataclass(frozen=True)
class Shares:
    """The shares of the officers' reports sent by SMS and by delayed offline queues."""

    sms: float = 0.0
    queue: float = 0.0
    queue_delay_min: float = 45.0

    def __post_init__(self) -> None:
        for name, value in (("sms share", self.sms), ("queue share", self.queue)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"the {name} must lie between 0 and 1, not {value}")
        if self.sms + self.queue > 1.0:
            raise ValueError(f"the SMS and queue shares add up to {self.sms + self.queue}, over 1")
        if not 0.0 <= self.queue_delay_min <= 23 * 60:
            raise ValueError(
                f"the queue delay must lie between 0 and 1380 minutes (a report more than a "
                f"day old is refused), not {self.queue_delay_min}"
            )


def by_sms(action: Action) -> bool:
    """Whether the SMS syntax states this report (no SMS acknowledges an order, and the
    receiver's side of a handover by SMS is the liaison's, not the officer's phone)."""
    if action.kind == "handover":
        return bool(action.data.get("side") == "officer")
    return action.kind in {"movement", "checkin", "status", "incident", "seals"}


def route(actions: list[Action], shares: Shares, seed: int = 1) -> list[Action]:
    """The actions with their channel (``data['channel']``), queued ones moved to the minute
    their queue is sent (``data['happened']`` keeps when they happened), in time order."""
    rng = random.Random(f"channels:{seed}")
    lanes: dict[str, list[Action]] = defaultdict(list)
    for action in sorted(actions):
        lanes[action.lane].append(action)
    routed: list[Action] = []
    late: dict[str, float] = {}  # incident reference -> minutes its report arrived late
    for lane in sorted(lanes):
        if lane == COMMAND:
            continue
        sent_at: float | None = None  # when the waiting queue goes out
        for action in lanes[lane]:
            if sent_at is None or action.minute >= sent_at:
                sent_at = None
                draw = rng.random()
                if draw < shares.queue:
                    sent_at = action.minute + shares.queue_delay_min
                elif draw < shares.queue + shares.sms and by_sms(action):
                    routed.append(_with(action, SMS))
                    continue
            if sent_at is None:
                routed.append(_with(action, APP))
                continue
            queued = _with(action, QUEUE, happened=action.minute)
            routed.append(replace(queued, minute=round(sent_at, 2)))
            if action.kind == "incident":
                late[action.data["ref"]] = sent_at - action.minute
    for action in lanes.get(COMMAND, []):
        ref = action.data.get("ref") or str(action.data.get("dispatch", "")).removesuffix(
            ":dispatch"
        )
        routed.append(replace(action, minute=round(action.minute + late.get(ref, 0.0), 2)))
    return sorted(routed)


def _with(action: Action, channel: str, **more: float) -> Action:
    return replace(action, data={**action.data, "channel": channel, **more})
