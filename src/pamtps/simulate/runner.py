"""Play a simulated day against a running service: ``simulate(base_url, ...) -> Outcome``.

Setup: log in as the demo commander, read the orders in force, and give each post's leader a
device token (``accounts.officer_tokens``, in the service's database); with an SMS share, register
each leader's phone number for SMS. Play: one thread per lane group, each with its own
connection, takes its lane's actions in time order when the fast-forwarded clock reaches them,
each by its channel (``channels``): the app at once, the offline queue later with the phone's
time, or an SMS through the gateway's webhook. Refusals (4xx) are counted by code; a server error
(5xx) or a dropped connection is recorded in full. At the end the command post's counts, read
through its API, are set beside the simulated truth (``check``).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pamtps.ops.channels import HEADER
from pamtps.ops.sms.codes import checkin_code
from pamtps.ops.sms.gateway import gateway_key
from pamtps.settings import Settings
from pamtps.simulate import check
from pamtps.simulate.accounts import officer_tokens, plan_version
from pamtps.simulate.channels import APP, QUEUE, SMS, Shares, route
from pamtps.simulate.day import COMMAND as COMMAND_LANE
from pamtps.simulate.day import Action, Post, plan_day
from pamtps.simulate.http import Client
from pamtps.simulate.rates import RATES, Rate
from pamtps.simulate.sms import GATEWAYS, phone_of, text_of
from pamtps.store import Database


@dataclass
class Outcome:
    """What a run did: answers by kind and status, server errors, timings."""

    actions: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    skipped: int = 0
    posts: int = 0
    tps: int = 0
    setup_s: float = 0.0
    play_s: float = 0.0
    max_lag_s: float = 0.0
    drawn: Counter[str] = field(default_factory=Counter)  # "<kind> <channel>" as drawn
    accepted: Counter[str] = field(default_factory=Counter)  # the same, once accepted
    command_post: Counter[str] = field(default_factory=Counter)
    truth: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(
        self, kind: str, status: int, detail: Any = None, channel: str | None = None
    ) -> None:
        """One answer; an officer's report (its ``channel`` given) also counts as accepted."""
        with self._lock:
            self.answers[f"{kind} {status}"] += 1
            if channel and 200 <= status < 300:
                self.accepted[f"{kind} {channel}"] += 1
            if status >= 500:
                self.server_errors.append(f"{kind} {status}: {str(detail)[:300]}")

    def draw(self, kind: str, channel: str) -> None:
        with self._lock:
            self.drawn[f"{kind} {channel}"] += 1

    @property
    def matches(self) -> bool:
        """Whether the command post shows what the simulation had accepted."""
        return self.command_post == self.truth

    def to_json(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "posts": self.posts,
            "tps": self.tps,
            "answers": dict(sorted(self.answers.items())),
            "server_errors": self.server_errors,
            "skipped": self.skipped,
            "setup_s": round(self.setup_s, 1),
            "play_s": round(self.play_s, 1),
            "max_lag_s": round(self.max_lag_s, 2),
            "channels_drawn": dict(sorted(self.drawn.items())),
            "channels_accepted": dict(sorted(self.accepted.items())),
            "command_post": dict(sorted(self.command_post.items())),
            "truth": dict(sorted(self.truth.items())),
            "matches": self.matches,
        }


def _token(client: Client, username: str, password: str) -> str:
    status, body = client.call(
        "POST",
        "/api/v1/auth/token",
        {"username": username, "password": password, "label": "simulasi"},
    )
    if status != 200:
        raise RuntimeError(f"login as {username} refused ({status}): {body}")
    return str(body["access_token"])


def _posts(client: Client, token: str, limit: int | None) -> list[Post]:
    status, body = client.call("GET", "/api/v1/orders", token=token)
    if status != 200:
        raise RuntimeError(f"reading the orders failed ({status}): {body}")
    leaders: dict[str, dict[str, Any]] = {}
    for order in body["orders"]:
        if order["kind"] == "post" and order["details"].get("tps"):
            current = leaders.get(order["post_id"])
            if current is None or order["nrp"] < current["nrp"]:
                leaders[order["post_id"]] = order
    posts = [
        Post(
            pid,
            o["nrp"],
            o["id"],
            tuple((t["code"], t["lat"], t["lng"]) for t in o["details"]["tps"]),
        )
        for pid, o in sorted(leaders.items())
    ]
    return posts[:limit] if limit else posts


@dataclass(frozen=True)
class _Sms:
    """How the simulated phones reach the SMS gateway: its path, the body maker, its key, and
    each leader's HADIR code."""

    path: str
    make: Any
    key: str
    codes: dict[str, str]


class _Player:
    """Turns actions into API calls by their channel; remembers incident and dispatch ids."""

    def __init__(
        self, tokens: dict[str, str], command: str, outcome: Outcome, sms: _Sms | None = None
    ) -> None:
        self.tokens, self.command, self.outcome, self.sms = tokens, command, outcome, sms
        self.ids: dict[str, int] = {}
        # Reports the service joined to an open incident of the same TPS and category (200,
        # "merged"): the command answers that incident once, under its first report's steps.
        self.merged: set[str] = set()
        # Reports the command gave up waiting for: their later steps are skipped as well, or a
        # report answered late would get "handled" without "verified" (refused, 409).
        self.missed: set[str] = set()

    def _wait_for(self, ref: str, seconds: float = 5.0) -> int | None:
        """The incident id of report ``ref`` once its report has been answered; None if the
        service merged it, or if it was not answered within ``seconds`` (then never again)."""
        if ref in self.missed:
            return None
        deadline = time.monotonic() + seconds
        while ref not in self.ids and ref not in self.merged and time.monotonic() < deadline:
            time.sleep(0.05)
        if ref not in self.ids and ref not in self.merged:
            self.missed.add(ref)
        return self.ids.get(ref)

    def play(self, client: Client, a: Action) -> None:
        d = a.data
        channel = d.get("channel", APP)
        if a.lane != COMMAND_LANE:
            self.outcome.draw(a.kind, channel)
        if channel == SMS:
            return self._sms(client, a)
        officer = self.tokens.get(d.get("nrp", ""), "")
        headers, stamp = {}, {}
        if channel == QUEUE:  # the phone's time: when it happened, the delay before now
            headers = {HEADER: QUEUE}
            late = timedelta(minutes=a.minute - float(d.get("happened", a.minute)))
            stamp = {"at": (datetime.now(UTC) - late).isoformat()}
        if a.kind == "incident":
            body = {
                "tps_code": d["tps"],
                "category": d["category"],
                "severity": d["severity"],
                "description": f"Simulasi: {d['category']}",
            } | stamp
            status, answer = client.call(
                "POST", "/api/v1/incidents", body, token=officer, key=True, headers=headers
            )
            if status in (200, 201) and isinstance(answer, dict) and answer.get("merged"):
                self.merged.add(d["ref"])
            elif status in (200, 201):
                self.ids[d["ref"]] = answer["id"]
            return self.outcome.count(a.kind, status, answer, channel)
        if a.kind in ("transition", "dispatch", "dispatch_status"):
            return self._command(client, a)
        path, body = _field_request(a)
        status, answer = client.call(
            "POST", path, body | stamp, token=officer, key=True, headers=headers
        )
        self.outcome.count(a.kind, status, answer, channel)

    def _sms(self, client: Client, a: Action) -> None:
        """The report typed as an SMS, posted by the gateway; the command then finds an
        incident by its TPS and category, as the command post would."""
        assert self.sms is not None, "an SMS share needs the gateway set up"
        d = a.data
        text = text_of(a, self.sms.codes.get(d["nrp"], ""))
        raw, headers = self.sms.make(self.sms.key, phone_of(d["nrp"]), text, datetime.now(UTC))
        status, answer = client.call("POST", self.sms.path, raw=raw, headers=headers)
        if status == 200 and isinstance(answer, dict):
            status = int(answer.get("status", 500))  # the SMS's fate is in the body
        self.outcome.count(a.kind, status, answer, SMS)
        if a.kind == "incident" and status in (200, 201):
            query = f"/api/v1/incidents?tps={d['tps']}&category={d['category']}"
            found, listed = client.call("GET", query, token=self.command)
            if found == 200 and listed["incidents"]:
                self.ids[d["ref"]] = listed["incidents"][0]["id"]

    def _command(self, client: Client, a: Action) -> None:
        d = a.data
        if a.kind == "dispatch_status":
            found = self.ids.get(d["dispatch"])
            if found is None:
                self.outcome.skipped += 1
                return
            status, answer = client.call(
                "POST",
                f"/api/v1/dispatches/{found}/status",
                {"status": d["status"]},
                token=self.command,
            )
            return self.outcome.count(a.kind, status, answer)
        incident = self._wait_for(d["ref"])
        if incident is None:
            self.outcome.skipped += 1
            return
        if a.kind == "transition":
            body = {"to": d["to"], "owner": d.get("owner"), "note": "simulasi"}
            status, answer = client.call(
                "POST",
                f"/api/v1/incidents/{incident}/transition",
                body,
                token=self.command,
                key=True,
            )
            return self.outcome.count(a.kind, status, answer)
        status, answer = client.call(
            "GET", f"/api/v1/incidents/{incident}/recommendation", token=self.command
        )
        self.outcome.count("recommendation", status, answer)
        unit = answer.get("recommended_unit_id") if status == 200 else None
        if unit is None:
            self.outcome.skipped += 1
            return
        status, answer = client.call(
            "POST", "/api/v1/dispatches", {"unit": unit, "incident": incident}, token=self.command
        )
        if status == 201:
            self.ids[d["dispatch"]] = answer["id"]
        self.outcome.count(a.kind, status, answer)


def _field_request(a: Action) -> tuple[str, dict[str, Any]]:
    d = a.data
    if a.kind == "ack":
        return f"/api/v1/orders/{d['order_id']}/ack", {}
    if a.kind == "movement":
        return "/api/v1/movements", {"phase": d["phase"]}
    if a.kind == "checkin":
        return "/api/v1/checkin", {"method": "gps", "lat": d["lat"], "lng": d["lng"]}
    if a.kind == "status":
        return f"/api/v1/tps/{d['tps']}/status", {"status": d["status"]}
    if a.kind == "seals":
        return f"/api/v1/escorts/{d['tps']}/seals", {"seals": d["seals"]}
    body = {k: d[k] for k in ("leg", "side", "seals")}
    if d.get("receiver_name"):
        body["receiver_name"] = d["receiver_name"]
    return f"/api/v1/escorts/{d['tps']}/handovers", body


def simulate(
    base_url: str,
    database: Database,
    settings: Settings,
    *,
    password: str,
    speed: float = 360,
    seed: int = 1,
    start_h: float = 4.5,
    until_h: float = 28.0,
    workers: int = 8,
    max_actions: int = 50_000,
    posts_limit: int | None = None,
    dispatches: int = 6,
    commander: str = "komandan",
    shares: Shares | None = None,
    sms_gateway: str = "android",
    rates: list[Rate] = RATES,
) -> Outcome:
    """Play the day from ``start_h`` to ``until_h`` (local hours; 28 = 04:00 the day after) on
    the service at ``base_url``, whose database is ``database``; ``shares`` of the officers'
    reports go by SMS (through ``sms_gateway``: 'android' or 'form') and by delayed offline
    queues. The command post's counts are read at the end (``Outcome.matches``)."""
    shares = shares or Shares()
    if sms_gateway not in GATEWAYS:
        raise ValueError(f"unknown SMS gateway {sms_gateway!r}: {', '.join(GATEWAYS)}")
    outcome, began = Outcome(), time.monotonic()
    client = Client(base_url)
    command_token = _token(client, commander, password)
    posts = _posts(client, command_token, posts_limit)
    # The officers' accounts first: an SMS number is registered to an existing account.
    tokens = officer_tokens(database, settings, [p.nrp for p in posts])
    sms = None
    if shares.sms:
        sms = _sms_setup(client, command_token, database, settings, posts, sms_gateway)
    client.close()
    outcome.posts, outcome.tps = len(posts), sum(len(p.tps) for p in posts)
    day = plan_day(posts, seed=seed, dispatches=dispatches, rates=rates)
    actions = [
        a
        for a in route(day, shares, seed)
        if start_h * 60 <= float(a.data.get("happened", a.minute)) and a.minute < until_h * 60
    ][:max_actions]
    outcome.actions, outcome.setup_s = len(actions), time.monotonic() - began
    player = _Player(tokens, command_token, outcome, sms)
    _play(base_url, actions, player, speed, start_h, workers)
    outcome.play_s = time.monotonic() - began - outcome.setup_s
    client = Client(base_url)
    try:
        outcome.command_post = check.command_post(client, command_token)
    finally:
        client.close()
    outcome.truth = check.truth(outcome.accepted)
    return outcome


def _sms_setup(
    client: Client, token: str, database: Database, settings: Settings, posts: list[Post],
    gateway: str,
) -> _Sms:
    """Register each leader's phone for SMS (as the command would) and work out the HADIR code
    printed on his card."""
    secret = settings.secret_key.get_secret_value().encode()
    version = plan_version(database)
    for post in posts:
        status, body = client.call(
            "POST", "/api/v1/sms/senders", {"target": post.nrp, "phone": phone_of(post.nrp)},
            token=token,
        )
        if status != 201:
            raise RuntimeError(f"registering {post.nrp}'s SMS number failed ({status}): {body}")
    codes = {post.nrp: checkin_code(secret, post.nrp, post.id, version) for post in posts}
    path, make = GATEWAYS[gateway]
    return _Sms(path, make, gateway_key(secret), codes)


def _play(
    base_url: str,
    actions: list[Action],
    player: _Player,
    speed: float,
    start_h: float,
    workers: int,
) -> None:
    lanes: list[queue.Queue[Action | None]] = [queue.Queue() for _ in range(workers)]
    lane_of = {lane: i % workers for i, lane in enumerate(sorted({a.lane for a in actions}))}

    def work(inbox: queue.Queue[Action | None]) -> None:
        client = Client(base_url)
        while (action := inbox.get()) is not None:
            try:
                player.play(client, action)
            except Exception as error:  # a dropped connection is a finding, not a crash
                player.outcome.count(action.kind, 599, repr(error))
        client.close()

    threads = [threading.Thread(target=work, args=(q,), daemon=True) for q in lanes]
    for thread in threads:
        thread.start()
    t0 = time.monotonic()
    for action in actions:
        due = t0 + (action.minute - start_h * 60) * 60 / speed
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        player.outcome.max_lag_s = max(player.outcome.max_lag_s, -delay)
        lanes[lane_of[action.lane]].put(action)
    for inbox in lanes:
        inbox.put(None)
    for thread in threads:
        thread.join()
