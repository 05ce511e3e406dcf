"""The OKU demo as the browser tests need it: dataset, roster, plan, published orders, demo users.

``oku_plan()`` plans OKU once per run (the slow part, ~10 s); ``seed_oku(db, plan)`` stores the
regency, saves that plan, publishes it through the field API (``POST /api/v1/plans/{id}/publish``
as the demo commander) and creates the demo users, the officer ``petugas`` being the leader of
the first post of Polsek Baturaja Timur.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fastapi.testclient import TestClient

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import OKU_FIGURES, generate_roster
from pamtps.domain import Dataset
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Plan, Post, Scenario
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.ops.demo import DEMO_PASSWORD, DEMO_POLSEK, create_demo_users
from pamtps.planner.solve import plan as make_plan
from pamtps.settings import Settings
from pamtps.store import Database, save_dataset
from pamtps.store.plans import save_plan
from pamtps.web.app import create_app


@dataclass(frozen=True)
class OkuDemo:
    """The planned OKU demo: its dataset, operation and plan, and the post of ``petugas``."""

    dataset: Dataset
    operation: OperationConfig
    plan: Plan

    @property
    def officer_post(self) -> Post:
        """The first post of Polsek Baturaja Timur: the demo officer leads it."""
        return next(p for p in self.plan.posts if p.sector == DEMO_POLSEK)

    @property
    def officer_nrp(self) -> str:
        return next(a.nrp for a in self.plan.team(self.officer_post.id) if a.leader)


@cache
def oku_plan() -> OkuDemo:
    """OKU with its synthetic roster, planned under the bundled operation (once per run)."""
    dataset = load_dataset("oku-2024")
    officers, units = generate_roster(dataset, OKU_FIGURES, seed=2024)
    dataset = dataset.with_personnel(officers, units)
    operation = load_operation(bundled_operation())
    return OkuDemo(dataset, operation, make_plan(Scenario(dataset, operation), time_limit=30))


def seed_oku(db: Database, settings: Settings, demo: OkuDemo) -> int:
    """Store and publish the demo in ``db`` (migrated, empty); returns the plan's id."""
    with db.session() as session:
        save_dataset(session, demo.dataset)
        plan_id = save_plan(session, demo.plan, demo.operation)
    create_demo_users(db, demo.dataset, demo.officer_nrp)
    with TestClient(create_app(db, settings)) as client:
        form = {"username": "komandan", "password": DEMO_PASSWORD}
        token = client.post("/api/v1/auth/token", json=form).json()["access_token"]
        answer = client.post(
            f"/api/v1/plans/{plan_id}/publish", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 201, answer.text
    return plan_id
