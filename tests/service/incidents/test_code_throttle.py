"""Invite-code throttling: one phone's typos block no neighbour behind the same carrier
address, guessing at one code from many addresses is stopped, and so is guessing in all."""

from __future__ import annotations

import random

from fastapi import FastAPI
from fastapi.testclient import TestClient

from pamtps.ops.liaison.codes import ALPHABET
from pamtps.settings import IncidentSettings, Settings
from pamtps.store import Database
from pamtps.web.app import create_app
from tests.service.incidents.conftest import S1, Headers
from tests.service.incidents.test_liaison import REDEEM, issue, printed

CARRIER = "114.125.0.1"  # one CGNAT address for many phones


def from_address(app: FastAPI, ip: str) -> TestClient:
    return TestClient(app, follow_redirects=False, client=(ip, 50000))


def redeem(client: TestClient, code: str):
    return client.post(REDEEM, json={"code": code, "name": "Ibu Sari"})


def wrong_codes(count: int, seed: int, first_half: str | None = None) -> list[str]:
    """``count`` made-up codes (with this first half, if given)."""
    chosen = random.Random(seed)
    made = []
    for _ in range(count):
        chars = "".join(chosen.choice(ALPHABET) for _ in range(8))
        made.append(f"{first_half or chars[:4]}-{chars[4:]}")
    return made


def codes_of(client: TestClient, heads: dict[str, Headers]) -> dict[str, str]:
    issue(client, heads["komandan"], tps=[S1])
    return printed(client, heads["komandan"])


def test_ten_wrong_codes_do_not_block_a_right_one_from_the_same_address(app, client, heads):
    """A phone that mistypes ten times (some typos in its own code) then types it right gets
    in; so does the next phone behind the same carrier address."""
    codes = codes_of(client, heads)
    phone = from_address(app, CARRIER)
    typos = wrong_codes(5, seed=1) + wrong_codes(5, seed=2, first_half=codes["kpps"][:4])
    assert [redeem(phone, typo).status_code for typo in typos] == [404] * 10
    assert redeem(phone, codes["kpps"]).status_code == 201
    assert redeem(from_address(app, CARRIER), codes["pengawas"]).status_code == 201


def test_guessing_one_code_from_many_addresses_is_stopped(app, client, heads):
    """Twenty guesses at one code's second half, each from its own address: the code then
    waits, typed right too, while another code is still redeemed."""
    codes = codes_of(client, heads)
    half = codes["kpps"][:4]
    assert codes["pengawas"][:4] != half
    guesses = wrong_codes(20, seed=3, first_half=half)
    answers = [redeem(from_address(app, f"10.9.0.{n}"), guess).status_code
               for n, guess in enumerate(guesses)]
    assert answers == [404] * 20
    stopped = redeem(from_address(app, "10.9.1.1"), codes["kpps"])
    assert stopped.status_code == 429
    assert stopped.json()["detail"]["code"] == "liaison.too_many_attempts"
    assert 840 < int(stopped.headers["retry-after"]) <= 900
    assert redeem(from_address(app, "10.9.1.2"), codes["pengawas"]).status_code == 201


def _app_with(db: Database, db_url: str, **limits: int) -> FastAPI:
    return create_app(db, Settings(database_url=db_url, incident=IncidentSettings(**limits)))


def test_one_address_is_stopped_at_its_own_limit(db: Database, db_url, people, heads):
    """With ``redeem_address_attempts=3`` a guessing address waits; another one does not."""
    app = _app_with(db, db_url, redeem_address_attempts=3)
    with TestClient(app) as client:
        codes = codes_of(client, heads)
        guesser = from_address(app, "10.8.0.1")
        assert [redeem(guesser, code).status_code for code in wrong_codes(3, seed=4)] == [404] * 3
        assert redeem(guesser, codes["kpps"]).status_code == 429
        assert redeem(from_address(app, "10.8.0.2"), codes["kpps"]).status_code == 201


def test_guessing_from_many_addresses_meets_the_global_guard(db: Database, db_url, people, heads):
    """With ``redeem_global_attempts=5``, five wrong codes from five addresses stop everyone
    until the window passes: the bound on guessing with many addresses."""
    app = _app_with(db, db_url, redeem_global_attempts=5)
    with TestClient(app) as client:
        codes = codes_of(client, heads)
        answers = [redeem(from_address(app, f"10.7.0.{n}"), code).status_code
                   for n, code in enumerate(wrong_codes(5, seed=5))]
        assert answers == [404] * 5
        assert redeem(from_address(app, "10.7.1.1"), codes["kpps"]).status_code == 429


def test_a_revoked_code_counts_as_a_wrong_one(app, client, heads):
    """A revoked code is refused (410) and counted like a wrong code."""
    old = codes_of(client, heads)["kpps"]
    issue(client, heads["komandan"], tps=[S1], holders=["kpps"])
    phone = from_address(app, CARRIER)
    assert [redeem(phone, old).status_code for _ in range(20)] == [410] * 20
    assert redeem(phone, old).status_code == 429
