"""Escort records in the store: seals, handovers, the flags of refused handovers, the list.

Writes are one row each under unique constraints (a seal per TPS and box, a confirmation per
TPS, leg and side): of two twins, the second trips the constraint and is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort.alerts import COUNTED, resolve_legs
from pamtps.ops.escort.chain import (
    BOXES,
    LEGS,
    SIDES,
    check_handover,
    check_seals,
    leg_complete,
)
from pamtps.ops.field.watch import Alert
from pamtps.store import Session
from pamtps.store.response import (
    all_handovers,
    all_seals,
    confirmed_sides,
    recorded_seals,
    status_times,
)
from pamtps.store.tables.response import EscortHandoverRow, EscortSealRow


def record_seals(
    session: Session, tps_code: str, seals: dict[str, str], actor: str, at: datetime
) -> dict[str, Any]:
    """Record the TPS's seals once; the same seals again change nothing, others are refused."""
    clean = check_seals(seals)
    before = recorded_seals(session, tps_code)
    if before and before != clean:
        raise ServiceError(409, "escort.seals_recorded", tps=tps_code)
    if not before:
        session.add_all(
            EscortSealRow(tps_code=tps_code, box=box, seal=seal, recorded_by=actor, recorded_at=at)
            for box, seal in clean.items()
        )
        session.flush()
    return {"tps_code": tps_code, "seals": clean, "recorded_at": utc(at).isoformat()}


def record_handover(
    session: Session,
    tps_code: str,
    *,
    leg: str,
    side: str,
    seals: dict[str, str],
    actor: str,
    receiver_name: str | None,
    at: datetime,
    now: datetime,
) -> tuple[dict[str, Any], list[Alert]]:
    """One side's confirmation of a leg; also the overdue alert it resolves."""
    done = confirmed_sides(session, tps_code)
    check_handover(recorded_seals(session, tps_code), done, tps_code, leg, side, seals)
    row = EscortHandoverRow(
        tps_code=tps_code,
        leg=leg,
        side=side,
        confirmed_by=actor,
        receiver_name=receiver_name,
        seals={box: str(seals[box]).strip() for box in BOXES},
        at=at,
        received_at=now,
    )
    session.add(row)
    session.flush()
    done.add((leg, side))
    resolved = []
    if leg_complete(done, leg):
        resolved = resolve_legs(session, [f"{tps_code}:{leg}"], now)
    return handover_json(row) | {"leg_complete": leg_complete(done, leg)}, resolved


def handover_json(row: EscortHandoverRow) -> dict[str, Any]:
    return {
        "tps_code": row.tps_code,
        "leg": row.leg,
        "side": row.side,
        "confirmed_by": row.confirmed_by,
        "receiver_name": row.receiver_name,
        "at": utc(row.at).isoformat(),
    }


def escorts(
    session: Session, visible: Callable[[str], bool], pending: bool | None = None
) -> list[dict[str, Any]]:
    """The escorts of the TPS the caller sees: seals, legs and sides, the counting end."""
    counted = status_times(session, status=COUNTED)
    seals: dict[str, dict[str, str]] = defaultdict(dict)
    for row in all_seals(session):
        seals[row.tps_code][row.box] = row.seal
    sides: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for handover in all_handovers(session):
        sides[handover.tps_code][handover.leg][handover.side] = handover_json(handover)
    listed = []
    for code in sorted(set(counted) | set(seals) | set(sides)):
        if not visible(code):
            continue
        legs = {
            leg: {side: sides[code][leg].get(side) for side in SIDES}
            | {"complete": all(sides[code][leg].get(s) for s in SIDES)}
            for leg in LEGS
        }
        done = legs[LEGS[-1]]["complete"]
        if pending is not None and pending == done:
            continue
        listed.append(
            {
                "tps_code": code,
                "counting_finished_at": utc(counted[code]).isoformat() if code in counted else None,
                "seals": seals.get(code, {}),
                "legs": legs,
                "pending": not done,
            }
        )
    return listed
