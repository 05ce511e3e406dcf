"""Field reports in: one transaction per request, whether a single write or a phone's queued batch.

Set-based on purpose: a request of N reports costs about a dozen statements, not a dozen per
report, so that the store keeps up with election morning (``bench/ingest.py``). In order:

1. claim the idempotency keys, inserted first (``INSERT ... ON CONFLICT DO NOTHING``); a key
   already there answers with its stored response, or 409 if it came with another body;
2. load what the new reports need: the officer's order, its phases, the steps of its TPS;
3. decide each report in turn with the pure checks of ``checkin``, ``status`` and ``orders``
   (an accepted report updates the state the next one is decided on);
4. write the accepted rows, the heartbeat, the alerts they resolve and one audit entry; store
   each response under its key and free the keys of refused reports, so they can be retried.

A unique constraint that trips (a twin report committed by another transaction meanwhile) rolls
the whole request back; it is then decided again against the new state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pamtps.service import audit
from pamtps.service.errors import ServiceError
from pamtps.service.field import checkin, status
from pamtps.service.field.events import Event
from pamtps.service.field.idempotency import write_transaction
from pamtps.service.field.orders import check_ack, order_json
from pamtps.service.field.runtime import FieldRuntime, alert_event
from pamtps.service.field.schemas import AckIn, CheckinIn, MovementIn, StatusIn
from pamtps.service.field.sql import upsert
from pamtps.service.field.times import reported_time
from pamtps.service.field.watch import resolve
from pamtps.store import Database
from pamtps.store.ops_models import (
    IdempotencyRow,
    MovementRow,
    OrderRow,
    PublicationRow,
    TpsStatusRow,
)
from pamtps.store.plans import current_publication

RETRIES = 3
MAX_REPORTS = 500
# The single-write routes a batch may carry: path -> kind (the target is the path's parameter).
ROUTES = [
    (re.compile(r"/api/v1/checkin"), "checkin"),
    (re.compile(r"/api/v1/movements"), "movement"),
    (re.compile(r"/api/v1/tps/(\d{13})/status"), "status"),
    (re.compile(r"/api/v1/orders/(\d{1,18})/ack"), "ack"),
]
BODIES: dict[str, type[BaseModel]] = {
    "checkin": CheckinIn,
    "movement": MovementIn,
    "status": StatusIn,
    "ack": AckIn,
}


def route(path: str) -> tuple[str, str | None]:
    """The kind and target (TPS code, order id) of a single-write path; 422 if it is none."""
    for pattern, kind in ROUTES:
        found = pattern.fullmatch(path)
        if found:
            return kind, found.group(1) if found.groups() else None
    raise ServiceError(422, "field.batch_path_unknown", path=path)


@dataclass(frozen=True)
class Reporter:
    """The officer sending: his user id (keys are his alone), username and NRP."""

    user_id: int
    username: str
    nrp: str
    token_secret: bytes

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}"


@dataclass(frozen=True)
class Report:
    """One field write: its key and fingerprint, its kind and target, its validated body."""

    key: str
    digest: str
    kind: str
    body: Any
    target: str | None = None


@dataclass
class Outcome:
    """A report's answer: a status and body, or the refusal; ``replayed`` if from its key."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    error: ServiceError | None = None
    replayed: bool = False


@dataclass
class Ingested:
    outcomes: list[Outcome]
    events: list[Event]


def ingest(
    database: Database,
    runtime: FieldRuntime,
    reporter: Reporter,
    reports: list[Report],
    now: datetime,
    action: str,
) -> Ingested:
    """Apply the reports once each, in one transaction; ``action`` names the audit entry."""
    for attempt in range(RETRIES):
        try:
            with write_transaction(database) as session:
                return _Run(session, runtime, reporter, now).apply(reports, action)
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


class _Run:
    """One request's reports against one transaction."""

    def __init__(self, session: Session, runtime: FieldRuntime, reporter: Reporter, now: datetime):
        self.session, self.runtime, self.reporter, self.now = session, runtime, reporter, now
        self.order: OrderRow | None = None
        self.phases: set[str] = set()
        self.steps: dict[str, set[str]] = {}
        self.rows: list[Any] = []
        self.applied: list[tuple[Report, Any]] = []
        self.point: tuple[float, float] | None = None
        self.arrived_posts: set[str] = set()
        self.fresh_keys: set[str] = set()
        self.publication: PublicationRow | None = None

    def apply(self, reports: list[Report], action: str) -> Ingested:
        first: dict[str, Report] = {}
        for report in reports:
            first.setdefault(report.key, report)
        outcomes = self._claim(list(first.values()))
        fresh = [r for r in first.values() if r.key not in outcomes]
        self.fresh_keys = {r.key for r in fresh}
        self._load(fresh)
        for report in fresh:
            try:
                self.applied.append((report, self._decide(report)))
            except ServiceError as error:
                outcomes[report.key] = Outcome(error.status, error=error)
        events = self._write(outcomes, action)
        answers = [
            outcomes[r.key]
            if first[r.key] is r or first[r.key].digest == r.digest
            else Outcome(409, error=ServiceError(409, "field.idempotency_key_reused"))
            for r in reports
        ]
        return Ingested(answers, events)

    # 1. Keys.

    def _claim(self, reports: list[Report]) -> dict[str, Outcome]:
        """Insert the keys; the outcomes of those already there (replayed or conflicting)."""
        actor = self.reporter.actor
        statement = upsert(self.session, _key_insert)
        rows = [
            {
                "actor": actor,
                "key": r.key,
                "request_hash": r.digest,
                "status_code": 0,
                "created_at": self.now,
            }
            for r in reports
        ]
        claimed = set(self.session.scalars(statement, rows).all()) if rows else set()
        seen = [r for r in reports if r.key not in claimed]
        if not seen:
            return {}
        query = select(IdempotencyRow).where(
            IdempotencyRow.actor == actor, IdempotencyRow.key.in_([r.key for r in seen])
        )
        stored = {row.key: row for row in self.session.scalars(query)}
        return {r.key: _replay(stored.get(r.key), r.digest) for r in seen}

    # 2. State.

    def _load(self, reports: list[Report]) -> None:
        if not reports:
            return
        self.order = self.session.scalars(
            select(OrderRow).where(
                OrderRow.nrp == self.reporter.nrp, OrderRow.superseded_at.is_(None)
            )
        ).first()
        if self.order is None:
            return
        self.phases = set(
            self.session.scalars(
                select(MovementRow.phase).where(MovementRow.order_id == self.order.id)
            )
        )
        codes = [t["code"] for t in self.order.details.get("tps", [])]
        self.steps = {code: set() for code in codes}
        if not any(report.kind == "status" for report in reports):
            return
        for code, step in self.session.execute(
            select(TpsStatusRow.tps_code, TpsStatusRow.status).where(
                TpsStatusRow.tps_code.in_(codes)
            )
        ):
            self.steps[code].add(step)

    # 3. Decisions.

    def _current(self) -> OrderRow:
        if self.order is None:
            raise ServiceError(404, "field.no_order", nrp=self.reporter.nrp)
        return self.order

    def _decide(self, report: Report) -> Any:
        at = reported_time(getattr(report.body, "at", None), self.now)
        if report.kind == "ack":
            return self._ack(int(report.target or 0), at)
        row: MovementRow | TpsStatusRow
        if report.kind == "status":
            row = self._status(str(report.target), report.body, at)
        else:
            row = self._movement(report, at)
        self.rows.append(row)
        return row

    def _ack(self, order_id: int, at: datetime) -> OrderRow:
        mine = self.order if self.order and self.order.id == order_id else None
        row = check_ack(mine or self.session.get(OrderRow, order_id), order_id, self.reporter.nrp)
        if row.acknowledged_at is None:  # acknowledging again keeps the first time
            row.acknowledged_at = at
        return row

    def _status(self, code: str, body: StatusIn, at: datetime) -> TpsStatusRow:
        reported = self.steps.get(code, set())
        row = status.status_row(
            self._current(), code, body.status, body.note, reported, at, self.now
        )
        reported.add(body.status)
        return row

    def _movement(self, report: Report, at: datetime) -> MovementRow:
        order = self._current()
        arrival = self._arrival(order, report.body) if report.kind == "checkin" else None
        phase = checkin.ARRIVAL if arrival else report.body.phase
        publication = self._publication()
        operation = self.runtime.operation(self.session, publication)
        row = checkin.movement_row(order, phase, self.phases, operation, at, self.now, arrival)
        self.phases.add(phase)
        if arrival:
            self.arrived_posts.add(str(order.post_id))
        return row

    def _publication(self) -> PublicationRow:
        if self.publication is None:
            self.publication = current_publication(self.session)
            if self.publication is None:
                raise ServiceError(409, "field.no_post")
        return self.publication

    def _arrival(self, order: OrderRow, body: CheckinIn) -> checkin.Arrival:
        self.point = body.point or self.point
        if body.method == "gps":
            assert body.lat is not None and body.lng is not None  # the schema checked it
            tolerance = self.runtime.settings.checkin_tolerance_m
            return checkin.by_gps(order.details, body.lat, body.lng, tolerance)
        version = self._publication().plan_version
        secret = self.reporter.token_secret
        return checkin.by_qr(order, str(body.token), secret, version, self.now, body.point)

    # 4. Writes.

    def _write(self, outcomes: dict[str, Outcome], action: str) -> list[Event]:
        session = self.session
        session.add_all(self.rows)
        session.flush()
        events = []
        for report, row in self.applied:
            body, event = self._answer(report, row)
            outcomes[report.key] = Outcome(200 if report.kind == "ack" else 201, body)
            events.append(event)
        lat, lng = self.point or (None, None)
        checkin.heartbeats(session, {self.reporter.nrp: (self.now, lat, lng)})
        if self.arrived_posts:  # turn the TPS green now; a silent-device flag waits for the watch
            resolved = resolve(session, self.arrived_posts, {self.reporter.nrp}, self.now)
            events += [alert_event(alert) for alert in resolved]
        if self.applied:
            payload = [
                {"key": r.key, "kind": r.kind, **outcomes[r.key].body} for r, _ in self.applied
            ]
            subject = f"order:{self.order.id}" if self.order else f"user:{self.reporter.username}"
            audit.record(session, self.reporter.username, action, subject, {"reports": payload})
        self._store(outcomes)
        return events

    def _answer(self, report: Report, row: Any) -> tuple[dict[str, Any], Event]:
        codes = [t["code"] for t in row.details.get("tps", [])] if report.kind == "ack" else []
        if report.kind == "ack":
            body = order_json(row)
            data = {"order_id": row.id, "nrp": row.nrp}
            order = row
        elif report.kind == "status":
            body = data = status.status_json(row)
            codes, order = [row.tps_code], self._current()
        else:
            body = data = checkin.movement_json(row)
            order = self._current()
            codes = [t["code"] for t in order.details.get("tps", [])]
        event = Event(report.kind, data, tuple(codes), order.sector, order.kecamatan, order.nrp)
        return body, event

    def _store(self, outcomes: dict[str, Outcome]) -> None:
        actor = self.reporter.actor
        fresh = {key: o for key, o in outcomes.items() if key in self.fresh_keys}
        stored = [
            {"actor": actor, "key": key, "status_code": o.status, "response": o.body}
            for key, o in fresh.items()
            if o.error is None
        ]
        if stored:
            self.session.execute(update(IdempotencyRow), stored)
        refused = [key for key, o in fresh.items() if o.error is not None]
        if refused:
            self.session.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.actor == actor, IdempotencyRow.key.in_(refused)
                )
            )


def _key_insert(insert: Any) -> Any:
    return insert(IdempotencyRow).on_conflict_do_nothing().returning(IdempotencyRow.key)


def _replay(stored: IdempotencyRow | None, digest: str) -> Outcome:
    if stored is None or stored.status_code == 0:  # its twin is being applied right now
        return Outcome(409, error=ServiceError(409, "field.idempotency_in_flight"))
    if stored.request_hash != digest:
        return Outcome(409, error=ServiceError(409, "field.idempotency_key_reused"))
    return Outcome(stored.status_code, stored.response or {}, replayed=True)
