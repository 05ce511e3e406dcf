"""Orders: publishing a plan version gives each officer on a post his order, which he acknowledges.

An order is a snapshot taken when the plan is published: post, TPS with desa and kecamatan,
partners, team leader, the Padal of the kecamatan, the Kapolsek of the sector and the times of
voting day. Re-publishing compares each officer's new order with his current one: an unchanged
order keeps its row and its acknowledgement; a changed one is superseded by a new row that says
what changed and must be acknowledged again; an officer taken off the posts gets a 'withdrawn'
order telling him his new duty.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pamtps.documents.view import PlanView
from pamtps.domain import Dataset, Officer
from pamtps.domain.clock import utc
from pamtps.domain.plan import Duty, Post, Scenario
from pamtps.ops.errors import ServiceError
from pamtps.ops.field.errors import not_found
from pamtps.ops.times import schedule
from pamtps.store import Session
from pamtps.store import field as store
from pamtps.store.plans import AlreadyPublished, StoredPlan, mark_published
from pamtps.store.tables.field import OrderRow, PublicationRow

POST, WITHDRAWN = "post", "withdrawn"
# The parts of an order whose change the officer must acknowledge again, in the order shown.
COMPARED = ("post", "tps", "partners", "team_leader", "leader", "padal", "kapolsek", "schedule")


@dataclass(frozen=True)
class OrderDraft:
    """One officer's order before it is stored."""

    nrp: str
    kind: str
    post_id: str | None
    sector: str | None
    kecamatan: str | None
    details: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        # Only what the officer must know counts: a re-estimated travel time is no new order.
        compared = [self.kind] + [self.details.get(name) for name in COMPARED]
        text = json.dumps(compared, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class PublishResult:
    """What publishing did: orders issued for the first time, changed, kept, withdrawn."""

    publication_id: int
    plan_id: int
    plan_version: int
    issued: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "issued": len(self.issued),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "withdrawn": len(self.withdrawn),
        }


def person(officer: Officer) -> dict[str, str]:
    return {"nrp": officer.nrp, "name": officer.name, "rank": officer.rank.name}


def _post_details(view: PlanView, post: Post, nrp: str) -> dict[str, Any]:
    team = view.team(post.id)
    me = next(m for m in team if m.officer.nrp == nrp)
    leader = next((m.officer for m in team if m.assignment.leader), team[0].officer)
    kapolsek = view.head_of(post.sector, "Kapolsek")
    return {
        "officer": person(me.officer),
        "post": post.id,
        "class": view.class_of(view.tps[post.tps[0]]).value if post.tps else None,
        "sector": {"code": post.sector, "name": view.unit_name(post.sector)},
        "kecamatan": {"code": post.kecamatan, "name": view.area_name(post.kecamatan)},
        "tps": [
            {
                "code": tps.code,
                "label": tps.label,
                "desa": view.area_name(tps.desa_code),
                "kecamatan": view.area_name(tps.kecamatan_code),
                "lat": tps.lat,
                "lng": tps.lng,
            }
            for tps in view.post_tps(post)
        ],
        "leader": me.assignment.leader,
        "travel_min": me.assignment.travel_min,
        "team_leader": person(leader),
        "partners": [person(m.officer) for m in team if m.officer.nrp != nrp],
        "padal": [person(o) for o in view.padal(post.kecamatan)],
        "kapolsek": person(kapolsek) if kapolsek else None,
        "schedule": schedule(view.operation),
    }


def plan_view(stored: StoredPlan, dataset: Dataset) -> PlanView:
    return PlanView(stored.plan, Scenario(dataset, stored.operation))


def draft_orders(view: PlanView) -> dict[str, OrderDraft]:
    """The order of every officer on a post in the plan, by NRP."""
    drafts = {}
    for member in view.by_duty[Duty.POST]:
        post = view.posts[member.assignment.target]
        nrp = member.officer.nrp
        details = _post_details(view, post, nrp)
        drafts[nrp] = OrderDraft(nrp, POST, post.id, post.sector, post.kecamatan, details)
    return drafts


def _withdrawal(view: PlanView, nrp: str, old: OrderRow) -> OrderDraft:
    assignment = next((a for a in view.plan.assignments if a.nrp == nrp), None)
    duty = {"duty": assignment.duty.value, "target": assignment.target} if assignment else None
    details = {"officer": old.details["officer"], "post": None, "new_duty": duty}
    return OrderDraft(nrp, WITHDRAWN, None, None, None, details)


def what_changed(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of an order that differ, each as {field, old, new}."""
    return [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in COMPARED
        if old.get(name) != new.get(name)
    ]


def publish(
    session: Session, stored: StoredPlan, dataset: Dataset, actor: str, now: datetime
) -> PublishResult:
    """Put a stored plan in force and issue, keep, change or withdraw each officer's order."""
    try:
        mark_published(session, stored.id)
    except AlreadyPublished:
        raise ServiceError(409, "field.plan_already_published", plan=stored.id) from None
    version = stored.plan.version
    publication = PublicationRow(
        plan_id=stored.id, plan_version=version, published_at=now, published_by=actor
    )
    session.add(publication)
    session.flush()
    result = PublishResult(publication.id, stored.id, version)
    view = plan_view(stored, dataset)
    drafts = draft_orders(view)
    current = store.orders_in_force(session)
    for nrp, row in current.items():
        if nrp not in drafts and row.kind == POST:
            drafts[nrp] = _withdrawal(view, nrp, row)
    rows = []
    for nrp, draft in sorted(drafts.items()):
        old = current.get(nrp)
        if old is not None and old.fingerprint == draft.fingerprint:
            result.unchanged.append(nrp)
            continue
        if old is None:
            result.issued.append(nrp)
        else:
            (result.withdrawn if draft.kind == WITHDRAWN else result.changed).append(nrp)
        rows.append(_order_row(draft, publication.id, version, old, now))
    superseded = [current[nrp].id for nrp in result.changed + result.withdrawn]
    if superseded:
        store.supersede_orders(session, superseded, now)
    session.add_all(rows)
    session.flush()
    return result


def _order_row(
    draft: OrderDraft, publication_id: int, version: int, old: OrderRow | None, now: datetime
) -> OrderRow:
    return OrderRow(
        publication_id=publication_id,
        nrp=draft.nrp,
        kind=draft.kind,
        post_id=draft.post_id,
        sector=draft.sector,
        kecamatan=draft.kecamatan,
        fingerprint=draft.fingerprint,
        details=draft.details,
        changes=None if old is None else what_changed(old.details, draft.details),
        previous_id=None if old is None else old.id,
        first_plan_version=version,
        issued_at=now,
        acknowledged_at=None,
        superseded_at=None,
    )


def order_of(session: Session, nrp: str) -> OrderRow:
    """The officer's order in force; 404 if he has none."""
    row = store.order_in_force(session, nrp)
    if row is None:
        raise ServiceError(404, "field.no_order", nrp=nrp)
    return row


def check_ack(row: OrderRow | None, order_id: int, nrp: str) -> OrderRow:
    """The order an officer may acknowledge: his own, still in force."""
    if row is None or row.nrp != nrp:
        raise not_found("order", order_id)
    if row.superseded_at is not None:
        raise ServiceError(409, "field.order_superseded", order=order_id)
    return row


def order_json(row: OrderRow) -> dict[str, Any]:
    """An order as the API shows it."""
    return {
        "id": row.id,
        "nrp": row.nrp,
        "kind": row.kind,
        "post_id": row.post_id,
        "sector": row.sector,
        "kecamatan": row.kecamatan,
        "details": row.details,
        "changes": row.changes,
        "issued_at": utc(row.issued_at).isoformat(),
        "acknowledged_at": utc(row.acknowledged_at).isoformat() if row.acknowledged_at else None,
        "must_acknowledge": row.acknowledged_at is None,
    }
