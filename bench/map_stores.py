"""The two services bench/map_render.py opens the map on: OKU, and all of Sumatera Selatan.

Each store is a migrated database holding a dataset, a published plan and the demo users,
plus one officer account per post that the bench checks in:

- ``oku``: the OKU demo as ``pamtps demo`` loads it (oku-2024, its synthetic roster, the plan of
  ``oku-2024.toml``), 1,225 TPS;
- ``sumsel``: the 17 kabupaten/kota of Sumatera Selatan, 25,985 TPS at their bundled places,
  planned as the Polda's operation is: per Polres (sectors never cross a Polres), each with
  ``default.toml`` (OKU with its own file) and a synthetic roster scaled from OKU by TPS count,
  exactly as bench/planner.py plans the province. The 17 plans are then stored as one plan
  version (regency "16", the province) so that a commander with no scope sees every TPS. Each
  regency's roster has its own seed; an NRP drawn twice is renumbered in the later regency.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime

from pamtps.domain import Dataset
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Plan, Quality
from pamtps.ops.demo import DEMO_PASSWORD, create_demo_users
from pamtps.ops.field.orders import publish
from pamtps.ops.users import Role, create_user
from pamtps.planner.solve import plan as make_plan
from pamtps.scenarios import ScenarioSource, build_scenario
from pamtps.store import Database, load_dataset, save_dataset
from pamtps.store.plans import get_plan, save_plan
from planner import REGENCIES, operation_for

PLAN_SECONDS = 10.0  # per Polres: the map needs a plan, not the best one


def _renumbered(plans: list[tuple[Dataset, Plan]]) -> list[tuple[Dataset, Plan]]:
    """Give every officer drawn twice (two regencies' rosters) a fresh NRP in the later one."""
    seen: set[str] = set()
    serial = 0
    out = []
    for dataset, plan in plans:
        fresh: dict[str, str] = {}
        for officer in dataset.personnel:
            if officer.nrp in seen:
                while f"9{serial:07d}" in seen:
                    serial += 1
                fresh[officer.nrp] = f"9{serial:07d}"
            seen.add(fresh.get(officer.nrp, officer.nrp))
        if fresh:
            officers = [replace(o, nrp=fresh.get(o.nrp, o.nrp)) for o in dataset.personnel]
            dataset = dataset.with_personnel(officers, dataset.units)
            plan = replace(plan, assignments=[replace(a, nrp=fresh.get(a.nrp, a.nrp))
                                              for a in plan.assignments])
        out.append((dataset, plan))
    return out


def _merged(plans: list[Plan], operation: OperationConfig) -> Plan:
    """The Polres plans side by side as one plan of the province."""
    first = plans[0]
    quality = Quality(
        objective=sum(p.quality.objective for p in plans), lower_bound=None, status="heuristic",
        seconds=sum(p.quality.seconds for p in plans), seed=first.quality.seed,
    )
    return replace(
        first, dataset="sumsel-2024", operation=operation.name, regency=operation.regency,
        classes={k: v for p in plans for k, v in p.classes.items()},
        reasons={k: v for p in plans for k, v in p.reasons.items()},
        posts=[post for p in plans for post in p.posts],
        assignments=[a for p in plans for a in p.assignments],
        reserve_minutes={k: v for p in plans for k, v in p.reserve_minutes.items()},
        quality=quality, shortages=[s for p in plans for s in p.shortages], requirement={},
    )


def planned(name: str, say: object = print) -> tuple[list[Dataset], Plan, OperationConfig]:
    """The datasets to store and the one plan to publish for ``oku`` or ``sumsel``."""
    regencies = REGENCIES[:1] if name == "oku" else REGENCIES
    parts = []
    for i, regency in enumerate(regencies):
        start = time.perf_counter()
        source = ScenarioSource("bundled", regency, roster_seed=2024 + i)
        scenario = build_scenario(source, operation_for(regency), None)
        limit = None if name == "oku" else PLAN_SECONDS
        parts.append((scenario.dataset, make_plan(scenario, time_limit=limit)))
        say(f"  planned {regency}: {len(scenario.dataset.tps):,} TPS "  # type: ignore[operator]
            f"in {time.perf_counter() - start:.1f} s")
    parts = _renumbered(parts)
    if name == "oku":
        return [parts[0][0]], parts[0][1], operation_for(regencies[0])
    operation = operation_for("16.02").replace(regency="16")
    return [d for d, _ in parts], _merged([p for _, p in parts], operation), operation


def seed(
    db: Database, name: str, checkers: int, say: object = print
) -> list[tuple[str, list[str]]]:
    """Store ``name`` in the migrated ``db``, publish its plan, create the demo users and
    ``checkers`` officers who will check in; returns (username, TPS codes of his post) of
    those officers."""
    datasets, plan, operation = planned(name, say)
    with db.session() as session:
        for dataset in datasets:
            save_dataset(session, dataset)
        plan_id = save_plan(session, plan, operation)
    with db.session() as session:
        stored = get_plan(session, plan_id)
        assert stored is not None
        publish(session, stored, load_dataset(session), "bench", datetime.now(UTC))
        dataset = load_dataset(session)
    create_demo_users(db, dataset)
    # The last posts drawn: the last regency's, far from where the map starts drawing.
    posts = plan.posts[-checkers:]
    made = []
    with db.session() as session:
        for i, post in enumerate(posts):
            leader = next(a.nrp for a in plan.team(post.id) if a.leader)
            username = f"petugas{i}"
            create_user(session, username=username, password=DEMO_PASSWORD, role=Role.OFFICER,
                        actor="bench", scope_code=leader, nrp=leader)
            made.append((username, list(post.tps)))
    return made
