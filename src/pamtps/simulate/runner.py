"""Play a simulated day against a running service: ``simulate(base_url, ...) -> Outcome``.

Setup: log in as the demo commander, read the orders in force, and give each post's leader a
device token (``accounts.officer_tokens``, in the service's database). Play: one thread per lane
group, each with its own connection, takes its lane's actions in time order when the
fast-forwarded clock reaches them. Refusals (4xx) are
counted by code; a server error (5xx) or a dropped connection is recorded in full.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pamtps.settings import Settings
from pamtps.simulate.accounts import officer_tokens
from pamtps.simulate.day import Action, Post, plan_day
from pamtps.simulate.http import Client
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
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, kind: str, status: int, detail: Any = None) -> None:
        with self._lock:
            self.answers[f"{kind} {status}"] += 1
            if status >= 500:
                self.server_errors.append(f"{kind} {status}: {str(detail)[:300]}")

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


class _Player:
    """Turns actions into API calls; remembers incident and dispatch ids by reference."""

    def __init__(self, tokens: dict[str, str], command: str, outcome: Outcome) -> None:
        self.tokens, self.command, self.outcome = tokens, command, outcome
        self.ids: dict[str, int] = {}

    def _wait_for(self, ref: str, seconds: float = 5.0) -> int | None:
        deadline = time.monotonic() + seconds
        while ref not in self.ids and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.ids.get(ref)

    def play(self, client: Client, a: Action) -> None:
        d = a.data
        officer = self.tokens.get(d.get("nrp", ""), "")
        if a.kind == "incident":
            body = {
                "tps_code": d["tps"],
                "category": d["category"],
                "severity": d["severity"],
                "description": f"Simulasi: {d['category']}",
            }
            status, answer = client.call("POST", "/api/v1/incidents", body, token=officer, key=True)
            if status in (200, 201):
                self.ids[d["ref"]] = answer["id"]
            return self.outcome.count(a.kind, status, answer)
        if a.kind in ("transition", "dispatch", "dispatch_status"):
            return self._command(client, a)
        path, body = _field_request(a)
        status, answer = client.call("POST", path, body, token=officer, key=True)
        self.outcome.count(a.kind, status, answer)

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
) -> Outcome:
    """Play the day from ``start_h`` to ``until_h`` (local hours; 28 = 04:00 the day after) on
    the service at ``base_url``, whose database is ``database``."""
    outcome, began = Outcome(), time.monotonic()
    client = Client(base_url)
    command_token = _token(client, commander, password)
    posts = _posts(client, command_token, posts_limit)
    client.close()
    tokens = officer_tokens(database, settings, [p.nrp for p in posts])
    outcome.posts, outcome.tps = len(posts), sum(len(p.tps) for p in posts)
    actions = [
        a
        for a in plan_day(posts, seed=seed, dispatches=dispatches)
        if start_h * 60 <= a.minute < until_h * 60
    ][:max_actions]
    outcome.actions, outcome.setup_s = len(actions), time.monotonic() - began
    _play(base_url, actions, _Player(tokens, command_token, outcome), speed, start_h, workers)
    outcome.play_s = time.monotonic() - began - outcome.setup_s
    return outcome


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
