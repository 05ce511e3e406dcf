"""Liaison access: invite codes issued, printed, redeemed once, revoked and re-issued."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from pamtps.ops.liaison.codes import derive_code
from pamtps.store import Database
from pamtps.store.tables.incidents import LiaisonCodeRow
from pamtps.store.tables.security import UserRow, WebSessionRow
from tests.fixtures import SUKAMAJU
from tests.service.incidents.conftest import PASAR_1, S1, Headers, post

CODES = "/api/v1/liaison/codes"
REDEEM = "/api/v1/liaison/redeem"


def issue(client: TestClient, headers: Headers, **body: object) -> list[dict]:
    response = post(client, CODES, headers, body or {"tps": [S1]})
    assert response.status_code == 201, response.text
    return list(response.json()["codes"])


def printed(client: TestClient, headers: Headers, tps: str = S1) -> dict[str, str]:
    """The active codes of a TPS as the sheet prints them, by holder."""
    listed = client.get(CODES, params={"tps": tps}, headers=headers).json()["codes"]
    return {c["holder"]: c["code"] for c in listed if c["state"] == "active"}


def redeem(client: TestClient, code: str, **extra: object) -> object:
    return client.post(REDEEM, json={"code": code, "name": "Pak Rahman"} | extra)


def test_command_issues_a_kpps_and_a_pengawas_code_per_tps(client, heads):
    """One code for the KPPS chair and one for the Pengawas TPS, listed with their text."""
    issued = issue(client, heads["komandan"])
    assert sorted(c["holder"] for c in issued) == ["kpps", "pengawas"]
    assert "code" not in issued[0]  # the answer is stored for replays: no secret in it
    codes = printed(client, heads["komandan"])
    assert all(len(code) == 9 and code[4] == "-" for code in codes.values())


def test_a_redeemed_code_opens_an_account_limited_to_its_tps(client, heads):
    """Redeeming gives a device token of a liaison scoped to the TPS; the code works once."""
    issue(client, heads["komandan"])
    code = printed(client, heads["komandan"])["kpps"]
    answer = redeem(client, code.lower().replace("-", " "))
    assert answer.status_code == 201, answer.text
    me = client.get("/api/v1/auth/me",
                    headers={"Authorization": f"Bearer {answer.json()['access_token']}"}).json()
    assert (me["role"], me["scope_code"], me["display_name"]) == ("liaison", S1, "Pak Rahman")
    assert redeem(client, code).status_code == 409


def test_redeeming_on_the_page_logs_the_browser_in(client, heads):
    """With ``session`` the browser gets the session cookie and the page shows the report form."""
    issue(client, heads["komandan"])
    assert "redeem-form" in client.get("/liaison").text
    answer = redeem(client, printed(client, heads["komandan"])["pengawas"], session=True)
    assert answer.status_code == 201 and answer.json()["csrf_token"]
    assert "report-form" in client.get("/liaison").text


def test_a_liaison_stays_logged_in_through_the_night_of_the_handover(client, heads, db):
    """The KPPS chair logs in once, by code, in the morning: his session lasts 48 hours (the
    ballot boxes leave after counting, at night), not the 14 of a command post login."""
    issue(client, heads["komandan"])
    answer = redeem(client, printed(client, heads["komandan"])["kpps"], session=True)
    assert "max-age=172800" in answer.headers["set-cookie"].lower()
    with db.session() as session:
        [row] = session.scalars(
            select(WebSessionRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(UserRow.role == "liaison")
        ).all()
        assert row.expires_at - row.created_at == timedelta(hours=48)


def test_a_revoked_code_is_refused_and_its_account_disabled(client, heads):
    """Revoking a used code locks its liaison out; an unused revoked code cannot be redeemed."""
    issued = {c["holder"]: c["id"] for c in issue(client, heads["komandan"])}
    codes = printed(client, heads["komandan"])
    token = redeem(client, codes["kpps"]).json()["access_token"]
    for code_id in issued.values():
        revoked = post(client, f"{CODES}/{code_id}/revoke", heads["sek.hulu"])
        assert revoked.json()["state"] == "revoked"
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert redeem(client, codes["pengawas"]).status_code == 410


def test_reissuing_a_code_invalidates_the_old_one(client, heads):
    """A new code for the same TPS and holder replaces the old, which is then refused."""
    issue(client, heads["komandan"])
    old = printed(client, heads["komandan"])["kpps"]
    issue(client, heads["komandan"], tps=[S1], holders=["kpps"])
    new = printed(client, heads["komandan"])["kpps"]
    assert new != old
    assert redeem(client, old).status_code == 410
    assert redeem(client, new).status_code == 201


def test_a_polsek_issues_codes_only_in_its_sector(client, heads):
    """Polsek Hilir may not issue for a Hulu TPS; Polsek Hulu may, for a whole desa too."""
    refused = post(client, CODES, heads["sek.hilir"], {"tps": [S1]})
    assert refused.status_code == 403
    assert len(issue(client, heads["sek.hulu"], desa=SUKAMAJU)) == 4  # 2 TPS x 2 holders
    assert post(client, CODES, heads["sek.hulu"], {"tps": [PASAR_1]}).status_code == 403


def test_wrong_codes_are_throttled_per_code(client, heads):
    """After 20 wrong tries at one code (its first half) the code waits, even typed right."""
    issue(client, heads["komandan"])
    right = printed(client, heads["komandan"])["kpps"]
    for _ in range(20):
        assert redeem(client, right[:4] + "-AAAA").status_code == 404
    answer = redeem(client, right)
    assert answer.status_code == 429
    assert "minutes" in client.post(REDEEM, json={"code": right}, params={"lang": "en"}).text


def test_the_sheet_is_a_printable_pdf(client, heads):
    """The sheet of a desa is a PDF; TPS outside the caller's sector are refused."""
    issue(client, heads["komandan"], desa=SUKAMAJU)
    sheet = client.get("/api/v1/liaison/sheet", params={"desa": SUKAMAJU},
                       headers=heads["sek.hulu"])
    assert sheet.headers["content-type"] == "application/pdf"
    assert sheet.content.startswith(b"%PDF")
    assert client.get("/api/v1/liaison/sheet", params={"tps": S1},
                      headers=heads["sek.hilir"]).status_code == 403


def test_codes_are_not_stored_in_the_clear(client, heads, db: Database, settings):
    """The database holds a nonce and a keyed digest; the code needs the secret key too."""
    issue(client, heads["komandan"])
    code = printed(client, heads["komandan"])["kpps"].replace("-", "")
    with db.session() as session:
        row = session.query(LiaisonCodeRow).filter_by(holder="kpps").one()
    assert code not in (row.nonce, row.lookup)
    assert derive_code(b"another-secret-key-0123456789", row.nonce) != code
    assert derive_code(settings.secret_key.get_secret_value().encode(), row.nonce) == code
