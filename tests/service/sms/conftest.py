"""Fixtures of the SMS tests: the toy plan in force, numbers registered, a signing gateway.

Bripka Andi (the persona 'officer', NRP 90030003) is on the Hulu post (Sukamaju TPS 001 and 002)
and sends from ANDI; the KPPS chair of Sukamaju TPS 001 (the persona 'liaison') from KPPS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops.sms.codes import checkin_code
from pamtps.ops.sms.gateway import gateway_key
from pamtps.ops.sms.senders import register
from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.field import order_in_force
from pamtps.store.tables.field import MovementRow, TpsStatusRow
from pamtps.store.tables.incidents import IncidentReportRow
from pamtps.store.tables.response import EscortHandoverRow, EscortSealRow
from pamtps.store.tables.sms import SmsMessageRow
from tests.service.field.authz_cases import _publish
from tests.service.personas import LIAISON_TPS, OFFICER_NRP

ANDI, KPPS, STRANGER = "0812-1111-2222", "+62 813 3333 4444", "085299990000"
TABLES = {"movements": MovementRow, "statuses": TpsStatusRow, "reports": IncidentReportRow,
          "seals": EscortSealRow, "handovers": EscortHandoverRow}


@dataclass
class Gateway:
    """An "SMS Gateway for Android" posting to the service, signing as the real app does."""

    client: TestClient
    key: str

    def deliver(self, phone: str, text: str, message_id: str | None = None,
                received: datetime | None = None, *, key: str | None = None,
                timestamp: int | None = None) -> Any:
        received = received or datetime.now(UTC)
        body = json.dumps({
            "deviceId": "ffffffffceb0b1db0000019399", "event": "sms:received",
            "id": uuid.uuid4().hex, "webhookId": "pamtps",
            "payload": {"message": text, "receivedAt": received.isoformat(),
                        "messageId": message_id or uuid.uuid4().hex[:8], "phoneNumber": phone,
                        "simNumber": 1},
        }).encode()
        stamp = str(timestamp if timestamp is not None else int(datetime.now(UTC).timestamp()))
        signature = hmac.new((key or self.key).encode(), body + stamp.encode(),
                             hashlib.sha256).hexdigest()
        headers = {"X-Timestamp": stamp, "X-Signature": signature,
                   "Content-Type": "application/json"}
        return self.client.post("/api/v1/sms/android", content=body, headers=headers)


@pytest.fixture
def gateway(client: TestClient, settings: Settings) -> Gateway:
    return Gateway(client, gateway_key(settings.secret_key.get_secret_value().encode()))


@pytest.fixture
def registered(db: Database, settings: Settings, people: dict[str, User],
               client: TestClient) -> Database:
    """Plan version 1 in force; Andi's and the KPPS chair's numbers registered."""
    from tests.service.authz import Ctx

    _publish(Ctx("command", client, db, settings, people))
    with db.session() as session:
        register(session, OFFICER_NRP, ANDI, "test", datetime.now(UTC))
        register(session, f"{LIAISON_TPS}-kpps", KPPS, "test", datetime.now(UTC))
    return db


def andis_code(db: Database, settings: Settings) -> str:
    with db.session() as session:
        order = order_in_force(session, OFFICER_NRP)
        assert order is not None
        return checkin_code(settings.secret_key.get_secret_value().encode(), OFFICER_NRP,
                            str(order.post_id), order.first_plan_version)


def counts(db: Database) -> dict[str, int]:
    """How many rows each field, incident and escort table holds, and the SMS log."""
    with db.session() as session:
        found = {name: session.scalar(select(func.count()).select_from(table)) or 0
                 for name, table in (TABLES | {"sms": SmsMessageRow}).items()}
    return found
