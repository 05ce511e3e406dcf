"""Users: creation with a scope that fits the role, the users page, the CLI, the demo users."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from typer.testing import Result

from pamtps.datasets import load_dataset
from pamtps.ops.demo import DEMO_PASSWORD, create_demo_users
from pamtps.ops.errors import ServiceError
from pamtps.ops.users import Role, User, create_user, find_user
from pamtps.store import Database, save_dataset
from tests.fixtures import HULU, toy_dataset
from tests.service.conftest import Login, log_in
from tests.service.personas import PASSWORD


def _create(db: Database, username: str = "baru", role: Role = Role.POLSEK,
            scope: str | None = "polsek_hulu", password: str = PASSWORD) -> User:
    with db.session() as session:
        return create_user(session, username=username, password=password, role=role,
                           actor="test", scope_code=scope)


@pytest.mark.parametrize(
    ("role", "scope", "key"),
    [
        (Role.POLSEK, "polsek_luar", "users.scope_unknown"),
        (Role.POLSEK, HULU, "users.scope_unknown"),  # a kecamatan is not a Polsek
        (Role.PADAL, "polsek_hulu", "users.scope_unknown"),
        (Role.OFFICER, "00000000", "users.scope_unknown"),
        (Role.LIAISON, "1699012001009", "users.scope_unknown"),
        (Role.OFFICER, None, "users.scope_required"),
        (Role.COMMAND, HULU, "users.scope_not_allowed"),
    ],
)
def test_the_scope_must_fit_the_role(people: dict, db: Database, role: Role, scope: str | None,
                                     key: str):
    """A Polsek user names a stored Polsek, a Padal a kecamatan, an officer an NRP..."""
    with pytest.raises(ServiceError) as refused:
        _create(db, role=role, scope=scope)
    assert (refused.value.status, refused.value.key) == (422, key)


def test_usernames_are_unique_and_passwords_long_enough(people: dict, db: Database):
    with pytest.raises(ServiceError, match=r"users\.username_taken"):
        _create(db, username="komandan")
    with pytest.raises(ServiceError, match=r"users\.password_too_short"):
        _create(db, password="pendek")
    with pytest.raises(ServiceError, match=r"users\.username_invalid"):
        _create(db, username="Bad Name")


def test_passwords_are_stored_as_argon2id(people: dict, db: Database):
    with db.session() as session:
        row = find_user(session, "komandan")
        assert row is not None and row.password_hash.startswith("$argon2id$")


def test_an_officers_nrp_is_his_scope(people: dict):
    assert people["officer"].nrp == people["officer"].scope_code == "90030003"


def test_the_admin_adds_a_user_on_the_users_page(client: TestClient, login: Login):
    """The form creates the user, who can then log in; a bad scope re-shows the form with why."""
    csrf = login(client, "admin")
    form = {"username": "sek.hulu2", "password": PASSWORD, "role": "polsek",
            "scope_code": "polsek_hulu", "display_name": "Wakapolsek Hulu", "csrf_token": csrf}
    response = client.post("/users", data=form)
    assert response.status_code == 303
    assert "Wakapolsek Hulu" in client.get("/users").text
    refused = client.post("/users", data=form | {"username": "x.y", "scope_code": "nope"})
    assert refused.status_code == 422 and "Wilayah nope tidak dikenal" in refused.text
    assert log_in(TestClient(client.app), "sek.hulu2")


def test_cli_adds_and_lists_users(cli: Callable[..., Result], people: dict):
    """`pamtps users add` checks the scope; `pamtps users list --json` shows the result."""
    added = cli("users", "add", "padal.hilir", "--role", "padal", "--scope", "16.99.02",
                "--password", PASSWORD)
    assert added.exit_code == 0, added.output
    refused = cli("users", "add", "padal.x", "--role", "padal", "--scope", "99", "--password",
                  PASSWORD)
    assert refused.exit_code == 1 and "Unknown scope 99" in refused.output
    listed = cli("users", "list", "--json")
    assert {"username": "padal.hilir", "role": "padal", "scope": "16.99.02", "nrp": None,
            "display_name": "padal.hilir", "active": True} in json.loads(listed.stdout)


def test_cli_audit_verify_fails_on_a_tampered_row(cli: Callable[..., Result], people: dict,
                                                  db: Database):
    """`pamtps audit verify` exits 0 on the intact log, 1 naming the first bad row."""
    intact = cli("audit", "verify")
    assert intact.exit_code == 0 and f"{len(people)} rows" in intact.output
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_log WHERE id = 3")
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "row 4" in broken.output and "row 3 is missing" in broken.output


def test_demo_users_cover_every_role_of_the_oku_demo(db: Database):
    """komandan, kabagops, sek.baturajatimur, padal.baturajatimur, polda, admin and petugas."""
    dataset = load_dataset("oku-2024")
    officer = toy_dataset().personnel[3]  # any officer: OKU's roster is generated by the demo
    with db.session() as session:
        save_dataset(session, dataset.with_personnel([officer], toy_dataset().units))
    created = create_demo_users(db, dataset.with_personnel([officer]), officer_nrp=officer.nrp)
    assert created == [
        ("admin", DEMO_PASSWORD, "admin", None),
        ("komandan", DEMO_PASSWORD, "command", None),
        ("kabagops", DEMO_PASSWORD, "command", None),
        ("sek.baturajatimur", DEMO_PASSWORD, "polsek", "polsek.16.01.14"),
        ("padal.baturajatimur", DEMO_PASSWORD, "padal", "16.01.14"),
        ("polda", DEMO_PASSWORD, "viewer", None),
        ("petugas", DEMO_PASSWORD, "officer", officer.nrp),
    ]
    assert create_demo_users(db, dataset) == created[:-1]  # again: reset, not duplicated
