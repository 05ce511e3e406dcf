"""The live stream tells a subscriber no more than his API view: a liaison never gets seals.

Bripka Andi records the seals of Sukamaju TPS 001 and hands the boxes over; the KPPS chair of
that TPS (liaison 'kpps.sukamaju') first confirms wrong seals (refused, flagged), then the right
ones. The command and the liaison both follow the stream over real HTTP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from pamtps.ops.event_filter import view_of
from pamtps.ops.events import Event
from pamtps.ops.scope import Scope
from pamtps.ops.users import Role, User
from pamtps.settings import Settings
from pamtps.store import Database
from tests.service.dashboard.live import serving
from tests.service.field.api import bearer
from tests.service.field.plans import SUKAMAJU_1

SEALS = {"ppwp": "A-001", "dpr": "B-002", "dpd": "C-003", "dprd_prov": "D-004", "dprd_kab": "E-005"}
WRONG = SEALS | {"dpd": "X-999"}
TPS = SUKAMAJU_1.code


@pytest.fixture
def served(app: FastAPI, field_plan: Database) -> Iterator[str]:
    with serving(app) as base:
        yield base


def _events(lines: Iterator[str], until: Any) -> list[tuple[str, dict[str, Any]]]:
    """The events read from an SSE line stream up to and including the first ``until`` accepts."""
    got: list[tuple[str, dict[str, Any]]] = []
    event: dict[str, str] = {}
    for line in lines:
        if line and not line.startswith(":"):
            name, _, value = line.partition(": ")
            event[name] = value
        elif not line and event:
            got.append((event["event"], json.loads(event["data"])))
            event = {}
            if until(got[-1]):
                return got
    raise AssertionError(f"stream ended before the awaited event: {got}")


def _receiver_done(item: tuple[str, dict[str, Any]]) -> bool:
    kind, data = item
    return kind == "escort" and data.get("side") == "receiver"


def test_a_liaisons_stream_carries_no_seals_while_the_commands_does(
    served: str, field_plan: Database, settings: Settings
) -> None:
    """Seals, handovers and a seal-mismatch flag: the command's stream has the seal numbers and
    the flag; the liaison's has his escort events with ``sealed`` only, no number, no alert."""
    heads = {name: bearer(field_plan, settings, name) for name in ("andi", "kpps.sukamaju",
                                                                   "komandan")}

    def post(client: httpx2.Client, who: str, path: str, body: Any) -> int:
        headers = heads[who] | {"Idempotency-Key": str(uuid.uuid4())}
        return client.post(f"/api/v1/escorts/{TPS}/{path}", json=body, headers=headers).status_code

    with (
        httpx2.Client(base_url=served, timeout=10) as phone,
        httpx2.Client(base_url=served, timeout=10) as ops_room,
        httpx2.Client(base_url=served, timeout=10) as kpps,
        ops_room.stream("GET", "/api/v1/events", headers=heads["komandan"]) as command_stream,
        kpps.stream("GET", "/api/v1/events", headers=heads["kpps.sukamaju"]) as liaison_stream,
    ):
        command_lines, liaison_lines = command_stream.iter_lines(), liaison_stream.iter_lines()
        assert next(command_lines) == next(liaison_lines) == ": connected"
        assert post(phone, "andi", "seals", {"seals": SEALS}) == 201
        assert post(phone, "andi", "handovers", {"leg": "pps", "side": "officer", "seals": SEALS}) \
            == 201
        wrong = {"leg": "pps", "side": "receiver", "seals": WRONG}
        assert post(phone, "kpps.sukamaju", "handovers", wrong) == 409
        right = {"leg": "pps", "side": "receiver", "seals": SEALS}
        assert post(phone, "kpps.sukamaju", "handovers", right) == 201
        commands = _events(command_lines, _receiver_done)
        liaisons = _events(liaison_lines, _receiver_done)
        api_view = kpps.get("/api/v1/escorts", headers=heads["kpps.sukamaju"]).json()

    command_text = json.dumps(commands)
    assert all(seal in command_text for seal in SEALS.values())
    assert "alert" in [kind for kind, _ in commands]
    liaison_text = json.dumps(liaisons)
    assert not any(seal in liaison_text for seal in [*SEALS.values(), "X-999"])
    assert {kind for kind, _ in liaisons} == {"escort"}
    sealed = [data for _, data in liaisons if "seals" in data]
    assert sealed == [{"tps_code": TPS, "seals": {}, "recorded_at": sealed[0]["recorded_at"],
                       "sealed": True}]
    assert [e["seals"] for e in api_view["escorts"]] == [{}]  # the API view agrees


def _escort_event() -> Event:
    data = {"tps_code": TPS, "seals": dict(SEALS), "recorded_at": "2024-02-14T09:00:00+00:00"}
    return Event("escort", data, (TPS,), None, "16.99.01")


@pytest.mark.parametrize(
    ("role", "scope_code", "kinds"),
    [
        (Role.LIAISON, TPS, {"status", "incident", "escort"}),
        (Role.OFFICER, "80010001", {"status", "incident", "escort", "checkin", "movement", "ack"}),
        (Role.COMMAND, None, {"status", "incident", "escort", "checkin", "movement", "ack",
                              "alert", "dispatch", "publish", "something_new"}),
    ],
)
def test_each_role_reads_only_the_kinds_its_api_shows(
    role: Role, scope_code: str | None, kinds: set[str]
) -> None:
    """Of every kind at his TPS, each role reads those his routes show; an unknown kind only
    reaches the roles that see everything."""
    user = User(1, "u", role, scope_code, "U", scope_code if role is Role.OFFICER else None)
    scope = Scope.of(user, {}, [TPS])
    every = ["status", "incident", "escort", "checkin", "movement", "ack", "alert", "dispatch",
             "publish", "something_new"]
    seen = {kind for kind in every if view_of(scope, Event(kind, {}, (TPS,))) is not None}
    assert seen == kinds
    shown = partial(view_of, scope)(_escort_event())
    assert shown is not None
    assert (shown.data["seals"] == {}) is (role is Role.LIAISON)
