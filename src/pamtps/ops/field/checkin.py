"""Movement on voting day: apel, berangkat, tiba di TPS (the check-in), bertugas, selesai.

Phases go forward only. The arrival is proven, not just reported: by GPS (the distance to the
nearest TPS of the post must be within a tolerance) or by the signed QR token of the order sheet
(``pamtps.tokens``). A phase reported after its deadline is stored as late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pamtps.datasets.geo import haversine_km
from pamtps.domain.clock import utc
from pamtps.domain.operation import OperationConfig
from pamtps.ops.channels import APP, arrival_json
from pamtps.ops.errors import ServiceError
from pamtps.ops.times import on_voting_day
from pamtps.store import Session
from pamtps.store.field_rows import heartbeats
from pamtps.store.tables.field import OrderRow
from pamtps.tokens import TokenError, verify_token

PHASES = ("apel", "berangkat", "tiba_di_tps", "bertugas", "selesai")
ARRIVAL = "tiba_di_tps"


@dataclass(frozen=True)
class VotingDay:
    """The fixed moments (UTC) of an operation's voting day that the phases are due by."""

    apel: datetime
    at_tps: datetime
    voting_opens: datetime

    @classmethod
    def of(cls, operation: OperationConfig) -> VotingDay:
        times = operation.schedule
        return cls(*(on_voting_day(operation, at)
                     for at in (times.apel, times.at_tps_by, times.voting_opens)))

    def deadlines(self, order: dict[str, Any]) -> dict[str, datetime | None]:
        """Each phase's deadline for one order; leave by arrival time less the travel time."""
        return {
            "apel": self.apel,
            "berangkat": self.at_tps - timedelta(minutes=float(order.get("travel_min") or 0)),
            "tiba_di_tps": self.at_tps,
            "bertugas": self.voting_opens,
            "selesai": None,  # duty ends when the boxes are handed over, whenever that is
        }


@dataclass(frozen=True)
class Arrival:
    """Where a check-in placed the officer: the nearest TPS of his post and how far from it."""

    method: str
    tps_code: str | None
    lat: float | None
    lng: float | None
    distance_m: float | None


def nearest_tps(order: dict[str, Any], lat: float, lng: float) -> tuple[dict[str, Any], float]:
    """The TPS of the order nearest to the point, and its distance in metres."""
    if not order.get("tps"):
        raise ServiceError(409, "field.no_post")
    distances = [
        (1000 * haversine_km(lat, lng, t["lat"], t["lng"]), t["code"]) for t in order["tps"]
    ]
    distance, code = min(distances)
    return next(t for t in order["tps"] if t["code"] == code), distance


def by_gps(order: dict[str, Any], lat: float, lng: float, tolerance_m: float) -> Arrival:
    """A GPS check-in within ``tolerance_m`` of a TPS of the post; 422 saying how far if not."""
    tps, distance = nearest_tps(order, lat, lng)
    if distance > tolerance_m:
        raise ServiceError(
            422,
            "field.checkin_too_far",
            distance=round(distance),
            tolerance=round(tolerance_m),
            tps=f"{tps['label']} {tps['desa']}",
        )
    return Arrival("gps", tps["code"], lat, lng, round(distance, 1))


def by_qr(
    row: OrderRow,
    token: str,
    secret: bytes,
    plan_version: int,
    now: datetime,
    point: tuple[float, float] | None = None,
) -> Arrival:
    """A check-in by the order sheet's QR token: signed, his, for this post, not outdated.

    A sheet printed for any plan version since his order last changed is still good.
    """
    try:
        claims = verify_token(secret, token, now)
    except TokenError as error:
        raise ServiceError(422, "field.token_" + error.reason) from None
    if claims.nrp != row.nrp:
        raise ServiceError(403, "field.token_other_officer")
    if claims.post_id != row.post_id:
        raise ServiceError(422, "field.token_other_post", post=claims.post_id)
    if not row.first_plan_version <= claims.plan_version <= plan_version:
        raise ServiceError(422, "field.token_old_plan", version=claims.plan_version)
    if point is None:
        return Arrival("qr", None, None, None, None)
    tps, distance = nearest_tps(row.details, *point)
    return Arrival("qr", tps["code"], point[0], point[1], round(distance, 1))


def movement_row(
    row: OrderRow,
    phase: str,
    done: set[str],
    due: dict[str, datetime | None],
    at: datetime,
    received: datetime,
    arrival: Arrival | None = None,
) -> dict[str, Any]:
    """The row (``movements``) of one phase of the officer's order (``done``: the phases
    already reported; ``due``: ``VotingDay.deadlines``), which happened ``at`` and arrived
    ``received``. Backwards, twice, or on duty before the check-in: refused."""
    if phase not in PHASES:
        raise ServiceError(422, "field.unknown_phase", phase=phase, phases=", ".join(PHASES))
    if row.kind != "post":
        raise ServiceError(409, "field.no_post")
    if phase == ARRIVAL and arrival is None:
        raise ServiceError(422, "field.arrival_needs_checkin")
    last = next((p for p in reversed(PHASES) if p in done), None)
    if last is not None and PHASES.index(phase) <= PHASES.index(last):
        raise ServiceError(409, "field.phase_out_of_order", phase=phase, last=last)
    arrived = last is not None and PHASES.index(last) >= PHASES.index(ARRIVAL)
    if PHASES.index(phase) > PHASES.index(ARRIVAL) and not arrived:
        raise ServiceError(409, "field.phase_before_checkin", phase=phase)
    deadline = due[phase]
    return {
        "order_id": row.id,
        "nrp": row.nrp,
        "post_id": row.post_id,
        "phase": phase,
        "at": at,
        "received_at": received,
        "late": deadline is not None and at > deadline,
        "method": arrival.method if arrival else "report",
        "tps_code": arrival.tps_code if arrival else None,
        "lat": arrival.lat if arrival else None,
        "lng": arrival.lng if arrival else None,
        "distance_m": arrival.distance_m if arrival else None,
    }


def heartbeat(
    session: Session, nrp: str, now: datetime, lat: float | None, lng: float | None
) -> None:
    """Note that one officer's device was heard from."""
    heartbeats(session, {nrp: (now, lat, lng)})


def movement_json(movement: Mapping[str, Any]) -> dict[str, Any]:
    """A movement (its row's columns) as the API shows it."""
    return {
        "id": movement["id"],
        "order_id": movement["order_id"],
        "nrp": movement["nrp"],
        "post_id": movement["post_id"],
        "phase": movement["phase"],
        "at": utc(movement["at"]).isoformat(),
        "late": movement["late"],
        "method": movement["method"],
        "tps_code": movement["tps_code"],
        "distance_m": movement["distance_m"],
        **arrival_json(movement.get("channel", APP), movement["at"], movement.get("received_at")),
    }
