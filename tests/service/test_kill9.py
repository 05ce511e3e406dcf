"""kill -9 in the middle of election-day traffic: every acknowledged write is stored exactly once.

The service runs under uvicorn in a subprocess on loopback; four phones (threads) send their
officers' days, each write with its Idempotency-Key, and record which were acknowledged (a 2xx
answer). The service is killed with SIGKILL mid-stream and started again; a phone whose write got
no answer sends it again with the same key, as the field app does. Afterwards each acknowledged
write is in the database once, no write is there twice, and the audit chain verifies.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from pamtps.datasets.oku import load_oku
from pamtps.domain import Officer, Origin, UnitType, VulnerabilityClass, rank_by_name
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.ops import audit
from pamtps.ops.field.orders import publish
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.sessions import TOKEN_PREFIX, digest
from pamtps.store import Database, load_dataset, save_dataset
from pamtps.store.plans import get_plan, save_plan
from pamtps.store.tables.field import MovementRow, TpsStatusRow
from pamtps.store.tables.security import AuditRow, DeviceTokenRow, UserRow

POSTS = 28  # one officer each, 11 writes a day: 308 writes
PHONES = 4
KILL_AFTER = 100  # acknowledged writes before the kill
LOOPS_OFF = ("PAMTPS_FIELD_WATCH_INTERVAL_S", "PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S",
             "PAMTPS_OPS_SITREP_INTERVAL_S", "PAMTPS_INCIDENT_ESCALATE_INTERVAL_S")

Write = tuple[str, str, dict[str, object], str]  # token, path, body, idempotency key


def _seed(db: Database) -> list[list[Write]]:
    """The OKU regency with the first ``POSTS`` TPS each guarded by one officer (the team
    leader), the plan published; each officer's day in order."""
    dataset = load_oku()
    polres = next(u for u in dataset.units if u.type is UnitType.POLRES)
    officers, posts, assignments, days, tokens = [], [], [], [], {}
    for i, tps in enumerate(dataset.tps[:POSTS]):
        sector = dataset.sector_of(tps.kecamatan_code) or polres
        posts.append(Post(f"P{i:03d}", sector.code, tps.kecamatan_code,
                          VulnerabilityClass.KURANG_RAWAN, [tps.code], 1, 0, tps.lat, tps.lng))
        nrp = f"8{i:07d}"
        officers.append(Officer(nrp, f"Uji {i}", rank_by_name("Brigpol"), sector.code,
                                Origin.POLSEK, "Samapta", tps.lat, tps.lng, synthetic=True))
        assignments.append(Assignment(nrp, Duty.POST, f"P{i:03d}", True, 1.0))
        token = tokens[nrp] = TOKEN_PREFIX + uuid4().hex
        here = {"method": "gps", "lat": tps.lat, "lng": tps.lng}
        moves = [("/api/v1/movements", {"phase": p}) for p in ("apel", "berangkat")]
        moves += [("/api/v1/checkin", here), ("/api/v1/movements", {"phase": "bertugas"})]
        moves += [(f"/api/v1/tps/{tps.code}/status", {"status": s}) for s in STATUSES]
        moves.append(("/api/v1/movements", {"phase": "selesai"}))
        days.append([(token, path, body, str(uuid4())) for path, body in moves])
    plan = Plan(dataset.name, "kill9", "16.01", "allocation", 1, {}, {}, posts, assignments, {},
                Quality(0.0, None, "heuristic", 0.0, 1))
    operation = load_operation(bundled_operation()).replace(
        voting_day=date.today() + timedelta(days=1))
    now = datetime.now(UTC)
    with db.session() as session:
        save_dataset(session, dataset.with_personnel(officers))
        for nrp, token in tokens.items():
            user = UserRow(username=f"o{nrp}", password_hash="-", role="officer", scope_code=nrp,
                           display_name=nrp, nrp=nrp, active=True, failed_attempts=0,
                           locked_until=None, created_at=now)
            session.add(user)
            session.flush()
            session.add(DeviceTokenRow(token_hash=digest(token), user_id=user.id, label="uji",
                                       created_at=now, expires_at=now + timedelta(days=1),
                                       revoked_at=None))
        stored = get_plan(session, save_plan(session, plan, operation))
        assert stored is not None
        publish(session, stored, load_dataset(session), "kill9", now)
    return days


class _Service:
    """``pamtps.web.app`` under uvicorn in a subprocess, on a fixed loopback port."""

    def __init__(self, db_url: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = os.environ | {"PAMTPS_DATABASE_URL": db_url} | dict.fromkeys(LOOPS_OFF, "0")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "pamtps.web.app:create_app", "--factory",
                   "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
                   "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=self.env)
        deadline = time.monotonic() + 30
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            assert self.process.poll() is None, "the service exited at start"
            assert time.monotonic() < deadline, "the service did not start in 30 s"
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def service(db_url: str) -> Iterator[_Service]:
    running = _Service(db_url)
    yield running
    running.stop()


def _phone(port: int, days: list[list[Write]], acknowledged: list[str], stop: float) -> None:
    """Send each day's writes in order; a write without an answer, or shed (429), is sent
    again with the same key, after the Retry-After when shed, as a phone would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for day in days:
        for token, path, body, key in day:
            while time.monotonic() < stop:
                headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                           "Content-Type": "application/json"}
                try:
                    connection.request("POST", path, json.dumps(body), headers)
                    answer = connection.getresponse()
                    text = answer.read()
                except (OSError, http.client.HTTPException):  # down: again, as a phone would
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    time.sleep(0.05)
                    continue
                if answer.status == 429:  # the service sheds load: nothing was applied
                    time.sleep(min(float(answer.getheader("Retry-After") or 1), 2.0))
                    continue
                assert 200 <= answer.status < 300, (path, body, answer.status, text)
                acknowledged.append(key)
                break
    connection.close()


def test_every_acknowledged_write_survives_kill_9_exactly_once(db: Database, db_url: str,
                                                              service: _Service):
    """SIGKILL after ~100 acknowledged writes, restart: all 308 writes stored, none twice."""
    days = _seed(db)
    service.start()
    acknowledged: list[str] = []
    stop = time.monotonic() + 50
    phones = [threading.Thread(target=_phone, args=(service.port, days[n::PHONES],
                                                    acknowledged, stop)) for n in range(PHONES)]
    for phone in phones:
        phone.start()
    while len(acknowledged) < KILL_AFTER:
        assert all(phone.is_alive() for phone in phones), "a phone stopped before the kill"
        time.sleep(0.005)
    service.kill()
    killed_at = len(acknowledged)
    time.sleep(0.5)
    service.start()
    for phone in phones:
        phone.join(60)
    sent = [key for day in days for *_, key in day]
    assert killed_at < len(sent), "the kill came after the last write: nothing was mid-stream"
    assert sorted(acknowledged) == sorted(sent), "a write was never acknowledged"
    with db.session() as session:
        moves = session.scalar(select(func.count()).select_from(MovementRow))
        steps = session.scalar(select(func.count()).select_from(TpsStatusRow))
        entries = [row.payload for row in session.scalars(select(AuditRow))]
        verified = audit.verify(session)
    assert (moves, steps) == (POSTS * 5, POSTS * len(STATUSES))
    audited = [report["key"] for payload in entries for report in payload.get("reports", [])]
    assert sorted(audited) == sorted(sent), "an acknowledged write is audited twice or never"
    assert verified.ok, verified.reason
