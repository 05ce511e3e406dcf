"""The demo's simulated voting day (``pamtps demo --simulate``) on the whole OKU demo, served for
real: every post and TPS of the published plan plays its day and the service never fails.

This is the issue's "``pamtps simulate`` runs a full OKU day with no server error"; how long it
takes is measured by ``bench/simulate.py``, not here.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx2
from fastapi import FastAPI

from pamtps.domain.plan import Duty
from pamtps.ops.demo import DEMO_PASSWORD
from pamtps.simulate.demo import start_day
from pamtps.simulate.runner import Outcome
from pamtps.store import Database
from tests.service.dashboard.seed import OkuDemo

SPEED = 1_000_000  # as fast as the service answers


def _play(live_url: str, oku_db: Database, oku_app: FastAPI) -> Outcome:
    results: list[Outcome | Exception] = []
    finished = threading.Event()

    def done(result: Outcome | Exception) -> None:
        results.append(result)
        finished.set()

    thread = start_day(live_url, oku_db, oku_app.state.settings, password=DEMO_PASSWORD,
                       speed=SPEED, done=done)
    assert finished.wait(900), "the simulated day did not end in 15 minutes"
    thread.join(5)
    [result] = results
    assert isinstance(result, Outcome), result
    return result


def _command_get(live_url: str, path: str) -> Any:
    with httpx2.Client(base_url=live_url, timeout=60) as client:
        login = {"username": "komandan", "password": DEMO_PASSWORD}
        token = client.post("/api/v1/auth/token", json=login).json()["access_token"]
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        return answer.json()


def test_a_whole_oku_voting_day_plays_without_a_server_error(
    live_url: str, oku_db: Database, oku_app: FastAPI, oku: OkuDemo
):
    """04:30 to 04:00: each of the plan's posts checks in, all 1,225 TPS open, count, seal and
    hand their boxes to the PPS and the PPK, incidents are reported and handled, reserves sent;
    no answer is a server error, and afterwards no escort is pending and no dispatch is open."""
    posts = {a.target for a in oku.plan.assignments if a.duty is Duty.POST}
    outcome = _play(live_url, oku_db, oku_app)
    assert outcome.server_errors == []
    assert outcome.posts == len(posts) and outcome.tps == len(oku.dataset.tps) == 1225
    answers = outcome.answers
    assert [kind for kind in answers if not kind.endswith((" 200", " 201"))] == []  # no refusal
    assert answers["checkin 201"] == len(posts)
    assert answers["seals 201"] == 1225
    assert answers["handover 201"] == 1225 * 4  # two legs, two sides each
    assert answers["incident 201"] > 0 and answers["dispatch 201"] > 0
    assert _command_get(live_url, "/api/v1/escorts?pending=true")["count"] == 0
    units = _command_get(live_url, "/api/v1/reserve")["units"]
    assert all(unit["status"] == "available" for unit in units)  # every unit came back
