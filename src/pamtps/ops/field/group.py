"""A group of field requests applied in one transaction, decided as if one after the other.

In order (a dozen statements for the whole group, see ``pamtps.store.field_rows``):

1. claim the idempotency keys of every request, inserted first; a key already there answers
   with its stored response (or 409). A key sent twice in the group belongs to its first
   report: the others get that report's answer (a replay if it came from another request);
2. load what the new reports need: the officers' orders, their phases, the steps of their TPS;
3. decide each report in turn with the pure checks of ``checkin``, ``status`` and ``orders``;
   an accepted report updates the state the next one is decided on, whoever sent it;
4. write the accepted rows, the heartbeats, the alerts they resolve and one audit entry per
   request; store each response under its key and free the keys of refused reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pamtps.ops import audit
from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Event
from pamtps.ops.field import checkin
from pamtps.ops.field import tps_steps as status
from pamtps.ops.field.orders import check_ack, order_json
from pamtps.ops.field.reports import Ingested, Outcome, Report, Unit
from pamtps.ops.field.runtime import FieldRuntime, alert_event
from pamtps.ops.field.schemas import CheckinIn, StatusIn
from pamtps.ops.field.watch import resolve
from pamtps.ops.times import reported_time
from pamtps.store import Session, field_rows
from pamtps.store.plans import current_publication
from pamtps.store.tables.field import OrderRow, PublicationRow

MOVES = ("movement", "checkin")


@dataclass(eq=False)
class _Request:
    """One request of the group while it is applied."""

    unit: Unit
    fresh: list[Report] = field(default_factory=list)  # claimed now: to decide
    applied: list[tuple[Report, Any]] = field(default_factory=list)
    point: tuple[float, float] | None = None
    arrived: set[str] = field(default_factory=set)  # posts reached
    events: list[Event] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return self.unit.reporter.actor

    @property
    def nrp(self) -> str:
        return self.unit.reporter.nrp


class Group:
    """The requests of one transaction."""

    def __init__(self, session: Session, runtime: FieldRuntime) -> None:
        self.session, self.runtime = session, runtime
        self.owners: dict[field_rows.Key, tuple[_Request, Report]] = {}
        self.outcomes: dict[field_rows.Key, Outcome] = {}
        self.orders: dict[str, OrderRow] = {}
        self.phases: dict[int, set[str]] = {}
        self.steps: dict[str, set[str]] = {}
        self.publication: PublicationRow | None = None
        self.deadlines: dict[int, dict[str, datetime | None]] = {}  # by order
        self.movements: list[dict[str, Any]] = []
        self.statuses: list[dict[str, Any]] = []

    def apply(self, units: list[Unit]) -> list[Ingested]:
        requests = [_Request(unit) for unit in units]
        self._claim(requests)
        self._load(requests)
        for request in requests:
            for report in request.fresh:
                try:
                    request.applied.append((report, self._decide(request, report)))
                except ServiceError as error:
                    self.outcomes[request.actor, report.key] = Outcome(error.status, error=error)
        self._write(requests)
        answers = [Ingested(self._answers(request), request.events) for request in requests]
        for request, answer in zip(requests, answers):
            if request.unit.after is not None:
                request.unit.after(self.session, answer)
        return answers

    # 1. Keys.

    def _claim(self, requests: list[_Request]) -> None:
        for request in requests:
            for report in request.unit.reports:
                self.owners.setdefault((request.actor, report.key), (request, report))
        claimed = field_rows.claim_keys(self.session, [
            {"actor": key[0], "key": key[1], "request_hash": report.digest, "status_code": 0,
             "created_at": request.unit.now}
            for key, (request, report) in self.owners.items()
        ])
        taken = [key for key in self.owners if key not in claimed]
        stored = field_rows.stored_keys(self.session, taken) if taken else {}
        for key in taken:
            self.outcomes[key] = _replay(stored.get(key), self.owners[key][1].digest)
        for key, (request, report) in self.owners.items():
            if key in claimed:
                request.fresh.append(report)

    def _answers(self, request: _Request) -> list[Outcome]:
        answers = []
        for report in request.unit.reports:
            owner_request, owner = self.owners[request.actor, report.key]
            outcome = self.outcomes[request.actor, report.key]
            if owner is not report and owner.digest != report.digest:
                outcome = Outcome(409, error=ServiceError(409, "field.idempotency_key_reused"))
            elif owner_request is not request:  # a twin request in this group: a replay
                outcome = replace(outcome, replayed=outcome.error is None)
            answers.append(outcome)
        return answers

    # 2. State.

    def _load(self, requests: list[_Request]) -> None:
        kinds = {report.kind for request in requests for report in request.fresh}
        if not kinds:
            return
        self.orders = field_rows.current_orders(self.session, {r.nrp for r in requests if r.fresh})
        if kinds & set(MOVES):
            self.phases = field_rows.phases(self.session, [o.id for o in self.orders.values()])
        if "status" in kinds:
            reporting = {r.nrp for r in requests if any(x.kind == "status" for x in r.fresh)}
            codes = {
                tps["code"]
                for nrp, order in self.orders.items() if nrp in reporting
                for tps in order.details.get("tps", [])
            }
            self.steps = field_rows.steps(self.session, codes)

    # 3. Decisions.

    def _current(self, request: _Request) -> OrderRow:
        order = self.orders.get(request.nrp)
        if order is None:
            raise ServiceError(404, "field.no_order", nrp=request.nrp)
        return order

    def _decide(self, request: _Request, report: Report) -> Any:
        at = reported_time(getattr(report.body, "at", None), request.unit.now)
        if report.kind == "ack":
            return self._ack(request, int(report.target or 0), at)
        if report.kind == "status":
            row = self._status(request, str(report.target), report.body, at)
            self.statuses.append(row)
        else:
            row = self._movement(request, report, at)
            self.movements.append(row)
        row["channel"] = report.channel
        return row

    def _ack(self, request: _Request, order_id: int, at: datetime) -> OrderRow:
        mine = self.orders.get(request.nrp)
        if mine is None or mine.id != order_id:
            mine = self.session.get(OrderRow, order_id)
        row = check_ack(mine, order_id, request.nrp)
        if row.acknowledged_at is None:  # acknowledging again keeps the first time
            row.acknowledged_at = at
        return row

    def _status(
        self, request: _Request, code: str, body: StatusIn, at: datetime
    ) -> dict[str, Any]:
        reported = self.steps.get(code, set())
        order = self._current(request)
        row = status.status_row(order, code, body.status, body.note, reported, at, request.unit.now)
        reported.add(body.status)
        return row

    def _movement(self, request: _Request, report: Report, at: datetime) -> dict[str, Any]:
        order = self._current(request)
        arrival = self._arrival(request, order, report.body) if report.kind == "checkin" else None
        phase = checkin.ARRIVAL if arrival else report.body.phase
        due = self._deadlines(order)
        done = self.phases[order.id]
        row = checkin.movement_row(order, phase, done, due, at, request.unit.now, arrival)
        done.add(phase)
        if arrival:
            request.arrived.add(str(order.post_id))
        return row

    def _deadlines(self, order: OrderRow) -> dict[str, datetime | None]:
        if order.id not in self.deadlines:
            day = self.runtime.voting_day(self.session, self._publication())
            self.deadlines[order.id] = day.deadlines(order.details)
        return self.deadlines[order.id]

    def _publication(self) -> PublicationRow:
        if self.publication is None:
            self.publication = current_publication(self.session)
            if self.publication is None:
                raise ServiceError(409, "field.no_post")
        return self.publication

    def _arrival(self, request: _Request, order: OrderRow, body: CheckinIn) -> checkin.Arrival:
        request.point = body.point or request.point
        if body.method == "gps":
            assert body.lat is not None and body.lng is not None  # the schema checked it
            tolerance = self.runtime.settings.checkin_tolerance_m
            return checkin.by_gps(order.details, body.lat, body.lng, tolerance)
        version = self._publication().plan_version
        secret = request.unit.reporter.token_secret
        now = request.unit.now
        return checkin.by_qr(order, str(body.token), secret, version, now, body.point)

    # 4. Writes.

    def _write(self, requests: list[_Request]) -> None:
        session = self.session
        field_rows.insert_movements(session, self.movements)
        field_rows.insert_steps(session, self.statuses)
        for request in requests:
            for report, row in request.applied:
                body, event = self._answer(request, report, row)
                self.outcomes[request.actor, report.key] = Outcome(
                    200 if report.kind == "ack" else 201, body
                )
                request.events.append(event)
        field_rows.heartbeats(session, {
            r.nrp: (r.unit.now, *(r.point or (None, None))) for r in requests
        })
        self._resolve([r for r in requests if r.arrived])
        audit.record_many(session, [self._audit_entry(r) for r in requests if r.applied])
        fresh = [(r.actor, report.key) for r in requests for report in r.fresh]
        field_rows.store_responses(session, {
            key: (self.outcomes[key].status, self.outcomes[key].body)
            for key in fresh if self.outcomes[key].error is None
        })
        refused = [key for key in fresh if self.outcomes[key].error is not None]
        field_rows.free_keys(session, refused)

    def _resolve(self, arriving: list[_Request]) -> None:
        """Turn the TPS reached green now; a silent-device flag waits for the watch."""
        if not arriving:
            return
        posts = set().union(*(r.arrived for r in arriving))
        now = max(r.unit.now for r in arriving)
        resolved = resolve(self.session, posts, {r.nrp for r in arriving}, now)
        # Published after the commit with the first arriving request's events.
        arriving[0].events += [alert_event(alert) for alert in resolved]

    def _audit_entry(self, request: _Request) -> audit.Entry:
        payload = [
            {"key": report.key, "kind": report.kind,
             **self.outcomes[request.actor, report.key].body}
            for report, _ in request.applied
        ]
        order = self.orders.get(request.nrp)
        reporter = request.unit.reporter
        subject = f"order:{order.id}" if order else f"user:{reporter.username}"
        # The movement and status rows it inserted, so that verify can vouch for them.
        written = [("tps_status_events" if report.kind == "status" else "movements", row)
                   for report, row in request.applied if report.kind != "ack"]
        rows = {"rows": audit.row_digests(written)} if written else {}
        return reporter.username, request.unit.action, subject, {"reports": payload, **rows}

    def _answer(
        self, request: _Request, report: Report, row: Any
    ) -> tuple[dict[str, Any], Event]:
        if report.kind == "ack":
            body = order_json(row)
            data = {"order_id": row.id, "nrp": row.nrp}
            order, codes = row, [t["code"] for t in row.details.get("tps", [])]
        elif report.kind == "status":
            body = data = status.status_json(row)
            order, codes = self._current(request), [row["tps_code"]]
        else:
            body = data = checkin.movement_json(row)
            order = self._current(request)
            codes = [t["code"] for t in order.details.get("tps", [])]
        event = Event(report.kind, data, tuple(codes), order.sector, order.kecamatan, order.nrp)
        return body, event


def _replay(stored: Any, digest: str) -> Outcome:
    if stored is None or stored.status_code == 0:  # its twin is being applied right now
        return Outcome(409, error=ServiceError(409, "field.idempotency_in_flight"))
    if stored.request_hash != digest:
        return Outcome(409, error=ServiceError(409, "field.idempotency_key_reused"))
    return Outcome(stored.status_code, stored.response or {}, replayed=True)
