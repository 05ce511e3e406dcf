"""The timeline of a voting day, from the orders in force: pure and seeded.

Each ``Action`` happens at a local time (minutes since midnight of voting day; past 24:00 is
the night after) in a ``lane``: the actions of one post (its leader's phone) or of the command
happen one after another in their lane, in time order; lanes run side by side.

Per post: apel 05:00, departure, GPS check-in at its first TPS by 06:30 (a few late), on duty at
07:00; per TPS: opened at 07:00 (later where the opening is late), voting, closed about 13:00,
counting until 17:00-24:00, the five seals, the boxes handed to the PPS then to the PPK (each leg
confirmed by the officer and by the receiver, typed on the officer's phone). Incidents at the
rates of ``rates.py``; the command verifies, handles and resolves (or refers) each, and sends a
reserve unit to the graver ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from pamtps.simulate.rates import DISPATCHED, RATES, Rate

COMMAND = "command"
BOXES = ("ppwp", "dpr", "dpd", "dprd_prov", "dprd_kab")
STEPS = ("dibuka", "pemungutan", "ditutup", "penghitungan", "penghitungan_selesai")
REFERRED = {"money_politics": "referred_bawaslu", "logistics_swapped": "referred_kpu"}


@dataclass(frozen=True)
class Post:
    """A post as the simulation needs it: its reporting officer and its TPS (code, lat, lng)."""

    id: str
    nrp: str
    order_id: int
    tps: tuple[tuple[str, float, float], ...]


@dataclass(order=True)
class Action:
    minute: float
    seq: int
    lane: str = field(compare=False)
    kind: str = field(compare=False)
    data: dict[str, Any] = field(compare=False, default_factory=dict)


class _Day:
    def __init__(self, seed: int, dispatches: int) -> None:
        self.rng = random.Random(seed)
        self.actions: list[Action] = []
        self.dispatches_left = dispatches

    def add(self, minute: float, lane: str, kind: str, **data: Any) -> float:
        self.actions.append(Action(round(minute, 2), len(self.actions), lane, kind, data))
        return minute

    def between(self, start_h: float, end_h: float) -> float:
        return self.rng.uniform(start_h * 60, end_h * 60)


def _incidents(day: _Day, posts: list[Post], rates: list[Rate]) -> dict[str, float]:
    """Draw the incidents; the late openings' delays by TPS code."""
    where = [(post, tps[0]) for post in posts for tps in post.tps]
    late: dict[str, float] = {}
    for rate in rates:
        count = sum(day.rng.random() < rate.per_tps for _ in where)
        for post, code in day.rng.sample(where, min(count, len(where))):
            at = day.between(*rate.window)
            if rate.category == "late_opening":
                late[code] = day.rng.uniform(20, 120)
            ref = f"{code}:{rate.category}"
            day.add(
                at,
                post.id,
                "incident",
                nrp=post.nrp,
                tps=code,
                ref=ref,
                category=rate.category,
                severity=rate.severity,
            )
            _handle(day, at, ref, rate.category)
    return late


def _handle(day: _Day, at: float, ref: str, category: str) -> None:
    """The command's answer to an incident: verify, handle, maybe dispatch, then close."""
    t = day.add(at + day.rng.uniform(5, 15), COMMAND, "transition", ref=ref, to="verified")
    t = day.add(
        t + day.rng.uniform(5, 15), COMMAND, "transition", ref=ref, to="handled", owner="Kapolsek"
    )
    if category in DISPATCHED and day.dispatches_left > 0:
        day.dispatches_left -= 1
        d = f"{ref}:dispatch"
        t = day.add(t + 1, COMMAND, "dispatch", ref=ref, dispatch=d)
        for status in ("on_scene", "returning", "available"):
            t = day.add(
                t + day.rng.uniform(20, 60), COMMAND, "dispatch_status", dispatch=d, status=status
            )
    day.add(
        t + day.rng.uniform(30, 150),
        COMMAND,
        "transition",
        ref=ref,
        to=REFERRED.get(category, "resolved"),
    )


def _post_day(day: _Day, post: Post, late: dict[str, float]) -> None:
    lane, nrp, rng = post.id, post.nrp, day.rng
    day.add(4 * 60 + 30, lane, "ack", nrp=nrp, order_id=post.order_id)
    day.add(5 * 60, lane, "movement", nrp=nrp, phase="apel")
    left = day.add(5 * 60 + rng.uniform(15, 40), lane, "movement", nrp=nrp, phase="berangkat")
    first = post.tps[0]
    on_time = rng.random() < 0.95
    arrive = left + rng.uniform(10, 60) if on_time else rng.uniform(6 * 60 + 30, 8 * 60)
    day.add(arrive, lane, "checkin", nrp=nrp, lat=first[1], lng=first[2])
    day.add(max(arrive + 5, 7 * 60 - 5), lane, "movement", nrp=nrp, phase="bertugas")
    last = 0.0
    for code, _, _ in post.tps:
        opened = 7 * 60 + rng.uniform(0, 10) + late.get(code, 0)
        times = [opened, opened + 5, 13 * 60 + rng.uniform(0, 20)]
        times += [times[-1] + rng.uniform(5, 20), rng.uniform(17 * 60, 24 * 60)]
        for step, at in zip(STEPS, times):
            day.add(at, lane, "status", nrp=nrp, tps=code, status=step)
        seals = {box: f"{code[-7:]}-{box.upper()}-{rng.randrange(10**5):05d}" for box in BOXES}
        t = day.add(times[-1] + rng.uniform(5, 15), lane, "seals", nrp=nrp, tps=code, seals=seals)
        for leg, official in (("pps", "Ketua PPS"), ("ppk", "Sekretariat PPK")):
            t = day.add(
                t + rng.uniform(20, 90),
                lane,
                "handover",
                nrp=nrp,
                tps=code,
                leg=leg,
                side="officer",
                seals=seals,
            )
            t = day.add(
                t + 1,
                lane,
                "handover",
                nrp=nrp,
                tps=code,
                leg=leg,
                side="receiver",
                seals=seals,
                receiver_name=official,
            )
        day.add(t + 1, lane, "status", nrp=nrp, tps=code, status="kotak_diserahkan")
        last = max(last, t + 2)
    day.add(last + 5, lane, "movement", nrp=nrp, phase="selesai")


def plan_day(
    posts: list[Post], *, seed: int = 1, dispatches: int = 6, rates: list[Rate] = RATES
) -> list[Action]:
    """Every action of the day, in time order (see the module docstring); incidents at
    ``rates`` (Bawaslu's findings unless told)."""
    day = _Day(seed, dispatches)
    late = _incidents(day, posts, rates)
    for post in posts:
        _post_day(day, post, late)
    return sorted(day.actions)
