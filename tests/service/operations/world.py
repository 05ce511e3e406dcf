"""The toy regency's response, to follow by hand (``tests/fixtures.py``, floor 1, squads of 2).

The reserve plan keeps Bripka Andi on the Hulu post (Sukamaju TPS 001 and 002) and puts five
officers in reserve:

- at Polres Contoh (Pasar): Bripda Eko (Pleton 1 Brimob) and Serka Gunawan (Kodim Contoh), two
  units of one officer each, so that the second to leave drains the base below the floor of 1;
- at Polsek Hulu (Sukamaju): AKBP Bambang, Iptu Sari and Briptu Fajar, the Polres reserve in
  squads of two: ``cadangan-1`` (Bambang, Sari) and ``cadangan-2`` (Fajar).

A riot at Pasar lies next to Polres Contoh; Sukamaju TPS 001 next to Polsek Hulu.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pamtps.domain import VulnerabilityClass
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality
from pamtps.io.operation_file import parse_operation
from pamtps.ops.field.orders import publish
from pamtps.store import Database, load_dataset
from pamtps.store.plans import get_plan, save_plan
from pamtps.store.tables.incidents import IncidentRow
from tests.fixtures import HILIR, HULU, TPS
from tests.service.field.plans import (
    ANDI,
    BAMBANG,
    DEWI,
    EKO,
    FAJAR,
    GUNAWAN,
    HULU_POST,
    SARI,
    SUKAMAJU_1,
    SUKAMAJU_2,
    toy_operation,
)

POLRES, HULU_BASE = "polres_contoh", "polsek_hulu"
BRIMOB, KODIM = f"{POLRES}/brimob_pleton_1", f"{POLRES}/kodim_contoh"
SQUAD_1, SQUAD_2 = f"{HULU_BASE}/cadangan-1", f"{HULU_BASE}/cadangan-2"
PASAR_POINT = (-4.14, 104.141)
PUBLISHED_AT = datetime(2024, 2, 11, 8, 0, tzinfo=UTC)


def reserve_operation() -> OperationConfig:
    """The toy operation with a reserve floor of 1 officer per base."""
    return parse_operation(toy_operation().to_dict() | {"reserve": {"floor": 1}})


def reserve_plan() -> Plan:
    """The plan of the module docstring."""
    post = Post(
        HULU_POST,
        HULU_BASE,
        HULU,
        VulnerabilityClass.KURANG_RAWAN,
        [SUKAMAJU_1.code, SUKAMAJU_2.code],
        2,
        0,
        -4.0,
        104,
    )
    return Plan(
        dataset="toy",
        operation="Operasi Contoh",
        regency="16.99",
        mode="allocation",
        seed=1,
        classes={tps.code: tps.vulnerability for tps in TPS},
        reasons={},
        posts=[post],
        assignments=[
            Assignment(ANDI, Duty.POST, HULU_POST, True, 20.0),
            Assignment(EKO, Duty.RESERVE, POLRES),
            Assignment(GUNAWAN, Duty.RESERVE, POLRES),
            Assignment(BAMBANG, Duty.RESERVE, HULU_BASE),
            Assignment(SARI, Duty.RESERVE, HULU_BASE),
            Assignment(FAJAR, Duty.RESERVE, HULU_BASE),
            Assignment(DEWI, Duty.UNAVAILABLE),
        ],
        reserve_minutes={},
        quality=Quality(objective=0.0, lower_bound=None, status="heuristic", seconds=0.0, seed=1),
        version=1,
    )


def publish_reserve_plan(database: Database) -> int:
    """Save and publish the reserve plan; its id."""
    with database.session() as session:
        plan_id = save_plan(session, reserve_plan(), reserve_operation(), now=PUBLISHED_AT)
        stored = get_plan(session, plan_id)
        assert stored is not None
        publish(session, stored, load_dataset(session), "komandan", PUBLISHED_AT)
    return plan_id


def add_incident(
    session: Session,
    tps_code: str,
    category: str = "crowd_riot",
    *,
    point: tuple[float, float] | None = None,
    sector: str | None = None,
    closed: bool = False,
    at: datetime = PUBLISHED_AT,
) -> int:
    """An incident at a TPS (at ``point`` if given); its id."""
    row = IncidentRow(
        tps_code=tps_code,
        kecamatan=HILIR if tps_code.startswith("169902") else HULU,
        sector=sector,
        category=category,
        severity="tinggi",
        status="resolved" if closed else "new",
        description="uji",
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        reports=1,
        reported_by="test",
        reported_at=at,
        level="polsek",
        escalated_at=None,
        owner=None,
        updated_at=at,
        closed_at=at if closed else None,
    )
    session.add(row)
    session.flush()
    return row.id
