"""Every free-text field of the service refuses every tally wording of the corpus, with a 422
whose message is Indonesian and names no internal path; nothing is stored.

The toy regency with version 1 of the field plan in force: Bripka Andi on the Hulu post
(Sukamaju TPS 001), 'kpps.sukamaju' its liaison, 'komandan' the command, 'admin' the admin.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.security import AuditRow
from tests.service.field.api import bearer
from tests.service.field.plans import SUKAMAJU_1
from tests.service.textguard.corpus import TALLIES

TPS = SUKAMAJU_1.code
SEALS = {"ppwp": "A-001", "dpr": "B-002", "dpd": "C-003", "dprd_prov": "D-004", "dprd_kab": "E-005"}

# field -> (who writes it, path, the body carrying the text)
Body = Callable[[str], dict[str, Any]]
FIELDS: dict[str, tuple[str, str, Body]] = {
    "incident_text": ("kpps.sukamaju", "/api/v1/incidents", lambda text: {
        "tps_code": TPS, "category": "crowd_riot", "severity": "sedang", "description": text}),
    "status_note": ("andi", f"/api/v1/tps/{TPS}/status",
                    lambda text: {"status": "dibuka", "note": text}),
    "dispatch_override_reason": ("komandan", "/api/v1/dispatches",
                                 lambda text: {"unit": 1, "incident": 1, "override_reason": text}),
    "seal_value": ("andi", f"/api/v1/escorts/{TPS}/seals",
                   lambda text: {"seals": SEALS | {"dpd": text}}),
    "handover_receiver_name": ("andi", f"/api/v1/escorts/{TPS}/handovers", lambda text: {
        "leg": "pps", "side": "receiver", "seals": SEALS, "receiver_name": text}),
    "alert_closing_note": ("komandan", "/api/v1/alerts/1/resolve", lambda text: {"note": text}),
    "liaison_name": ("", "/api/v1/liaison/redeem", lambda text: {"code": "ABCD-EFGH",
                                                                 "name": text}),
    "display_name": ("admin", "/api/v1/users", lambda text: {
        "username": "baru", "password": "sandi-yang-panjang-1", "role": "viewer",
        "display_name": text}),
    "device_label": ("", "/api/v1/auth/token", lambda text: {
        "username": "komandan", "password": "salah", "label": text}),
}


def _audit_rows(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


@pytest.mark.parametrize("field", FIELDS)
def test_every_tally_wording_is_refused_in_the_field(
    field: str, client: TestClient, field_plan: Database, settings: Settings
) -> None:
    """All corpus wordings: 422, the Indonesian refusal, no '$.' path, nothing recorded."""
    who, path, body = FIELDS[field]
    headers = bearer(field_plan, settings, who) if who else {}
    before = _audit_rows(field_plan)
    answers = []
    for text in TALLIES:
        key = {"Idempotency-Key": str(uuid.uuid4())}
        response = client.post(path, json=body(text), headers=headers | key)
        answers.append((text, response.status_code, response.text))
    wrong = [(text, status) for text, status, _ in answers if status != 422]
    assert wrong == []
    for _, _, answer in answers:
        assert "perolehan suara" in answer and "$." not in answer
    assert _audit_rows(field_plan) == before


@pytest.mark.parametrize("field", ["incident_text", "status_note", "handover_receiver_name"])
def test_an_ordinary_text_in_the_field_is_accepted(
    field: str, client: TestClient, field_plan: Database, settings: Settings
) -> None:
    """The same routes take an ordinary text with numbers (the refusal above is the text's)."""
    who, path, body = FIELDS[field]
    headers = bearer(field_plan, settings, who) | {"Idempotency-Key": str(uuid.uuid4())}
    if field == "handover_receiver_name":
        seals = client.post(f"/api/v1/escorts/{TPS}/seals", json={"seals": SEALS},
                            headers=headers | {"Idempotency-Key": str(uuid.uuid4())})
        assert seals.status_code == 201
    text = "Surat suara kurang 20 lembar, DPT 250 orang, TPS 03 dibuka 07:15"
    if field == "handover_receiver_name":
        text = "Sekretaris PPS 02 Bapak Suparman"
    response = client.post(path, json=body(text), headers=headers)
    assert response.status_code in (200, 201), response.text
