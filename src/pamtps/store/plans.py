"""Plan versions in the store: save a plan with its operation, load it back, publish it.

A stored plan is a row of ``plans`` whose payload holds ``plan.to_dict()`` and the operation
config it was made under, so that it can be re-read long after the operation file changed. Its
``status`` is 'draft', 'published' (the one in force; at most one) or 'superseded'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Plan
from pamtps.io.operation_file import parse_operation
from pamtps.store.tables.field import PublicationRow
from pamtps.store.tables.reference import PlanRow

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"


@dataclass(frozen=True)
class StoredPlan:
    """A plan version as stored: its id, the plan, its operation and its status."""

    id: int
    plan: Plan
    operation: OperationConfig
    status: str
    created_at: datetime
    parent_id: int | None


def save_plan(
    session: Session,
    plan: Plan,
    operation: OperationConfig,
    *,
    parent_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Store a plan as a new draft version; returns its id."""
    payload = {"plan": plan.to_dict(), "operation": operation.to_dict()}
    row = PlanRow(
        created_at=now or datetime.now(UTC),
        name=plan.operation,
        seed=plan.seed,
        regency_code=plan.regency,
        status=DRAFT,
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        parent_id=parent_id,
    )
    session.add(row)
    session.flush()
    return row.id


def _stored(row: PlanRow) -> StoredPlan:
    payload: dict[str, Any] = json.loads(row.payload)
    return StoredPlan(
        row.id,
        Plan.from_dict(payload["plan"]),
        parse_operation(payload["operation"], f"plan {row.id}"),
        row.status,
        row.created_at,
        row.parent_id,
    )


def get_plan(session: Session, plan_id: int) -> StoredPlan | None:
    """The stored plan of that id, or None."""
    row = session.get(PlanRow, plan_id)
    return None if row is None else _stored(row)


def latest_plan(session: Session, *, published: bool = False) -> StoredPlan | None:
    """The newest stored plan (or, with ``published``, the one in force), or None."""
    query = select(PlanRow).order_by(PlanRow.id.desc()).limit(1)
    if published:
        query = query.where(PlanRow.status == PUBLISHED)
    row = session.scalars(query).first()
    return None if row is None else _stored(row)


def current_publication(session: Session) -> PublicationRow | None:
    """The publication in force (the newest), or None before the first one."""
    query = select(PublicationRow).order_by(PublicationRow.id.desc()).limit(1)
    return session.scalars(query).first()


class AlreadyPublished(ValueError):
    """The plan is already the one in force."""


def mark_published(session: Session, plan_id: int) -> None:
    """Make ``plan_id`` the plan in force and the one before it superseded.

    The conditional update claims the change: of two concurrent publishers of one plan, the
    second finds no row still unpublished and gets AlreadyPublished.
    """
    claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(PlanRow)
        .where(PlanRow.id == plan_id, PlanRow.status != PUBLISHED)
        .values(status=PUBLISHED)
    )
    if claimed.rowcount != 1:
        raise AlreadyPublished(f"plan {plan_id} is already the one in force")
    session.execute(
        update(PlanRow)
        .where(PlanRow.status == PUBLISHED, PlanRow.id != plan_id)
        .values(status=SUPERSEDED)
    )
