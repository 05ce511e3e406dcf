"""Group commit: several requests in one transaction, each answered as if applied alone."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from pamtps.ops import audit
from pamtps.ops.field import group as group_module
from pamtps.ops.field import writer as writer_module
from pamtps.ops.field.ingest import BODIES, Report, Reporter, Unit, ingest_group
from pamtps.ops.field.orders import PublishResult
from pamtps.ops.field.reports import Ingested
from pamtps.ops.field.runtime import FieldRuntime, FieldSettings
from pamtps.ops.field.writer import Writer
from pamtps.ops.idempotency import request_hash
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from pamtps.store.tables.security import AuditRow
from tests.service.field.conftest import SECRET, at
from tests.service.field.plans import ANDI, EKO, FAJAR, SUKAMAJU_1

APEL = {"phase": "apel"}


def _unit(nrp: str, kind: str, body: dict[str, Any], target: str | None = None,
          key: str | None = None) -> Unit:
    """One request of the officer ``nrp`` carrying one report, received at 05:10."""
    report = Report(key or str(uuid.uuid4()), request_hash("POST", f"{kind}/{target}", body),
                    kind, BODIES[kind].model_validate(body), target)
    return Unit(Reporter(int(nrp), nrp, nrp, SECRET), [report], at(5, 10), f"field.{kind}")


def _apply(database: Database, units: list[Unit]) -> list[Ingested]:
    results = ingest_group(database, FieldRuntime(FieldSettings()), units)
    assert all(isinstance(result, Ingested) for result in results)
    return results  # type: ignore[return-value]


def _count(database: Database, table: Any) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_each_request_of_a_group_gets_its_answer_and_its_audit_entry(
    toy_db: Database, published: PublishResult
) -> None:
    """Three officers' apel in one transaction: three movements, three chained audit entries."""
    before = _count(toy_db, AuditRow)
    results = _apply(toy_db, [_unit(nrp, "movement", APEL) for nrp in (ANDI, FAJAR, EKO)])
    assert [r.outcomes[0].status for r in results] == [201, 201, 201]
    assert [r.outcomes[0].body["nrp"] for r in results] == [ANDI, FAJAR, EKO]
    assert [len(r.events) for r in results] == [1, 1, 1]
    assert _count(toy_db, AuditRow) == before + 3
    with toy_db.session() as session:
        assert audit.verify(session).ok


def test_a_key_sent_twice_in_one_group_is_applied_once(
    toy_db: Database, published: PublishResult
) -> None:
    """A retry racing its original into the same group gets the original's answer, replayed."""
    first, again = _apply(toy_db, [_unit(ANDI, "movement", APEL, key="k")] * 2)
    assert (first.outcomes[0].status, first.outcomes[0].replayed) == (201, False)
    assert (again.outcomes[0].body, again.outcomes[0].replayed) == (first.outcomes[0].body, True)
    assert _count(toy_db, MovementRow) == 1


def test_later_requests_of_a_group_are_decided_on_what_the_earlier_ones_did(
    toy_db: Database, published: PublishResult
) -> None:
    """Andi and Fajar both report 'dibuka' for their TPS in one group: the second is refused."""
    step = {"status": "dibuka"}
    andi, fajar = _apply(toy_db, [_unit(nrp, "status", step, SUKAMAJU_1.code)
                                  for nrp in (ANDI, FAJAR)])
    assert (andi.outcomes[0].status, fajar.outcomes[0].status) == (201, 409)


def test_a_request_that_breaks_its_group_fails_alone(
    toy_db: Database, published: PublishResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error rolls the group back; the others are then applied one by one."""
    decide = group_module.Group._decide

    def broken_for_fajar(self: Any, request: Any, report: Report) -> Any:
        if request.nrp == FAJAR:
            raise RuntimeError("a bug")
        return decide(self, request, report)

    monkeypatch.setattr(group_module.Group, "_decide", broken_for_fajar)
    units = [_unit(nrp, "movement", APEL) for nrp in (ANDI, FAJAR, EKO)]
    andi, fajar, eko = ingest_group(toy_db, FieldRuntime(FieldSettings()), units)
    assert isinstance(fajar, RuntimeError)
    assert isinstance(andi, Ingested) and isinstance(eko, Ingested)
    assert (andi.outcomes[0].status, eko.outcomes[0].status) == (201, 201)
    assert _count(toy_db, MovementRow) == 2


def test_requests_queued_during_a_commit_share_the_next_one(
    toy_db: Database, published: PublishResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five requests arriving together are written as one group, and each gets its answer."""
    sizes: list[int] = []

    def counted(database: Database, runtime: FieldRuntime, units: list[Unit]) -> list[Any]:
        sizes.append(len(units))
        return ingest_group(database, runtime, units)

    monkeypatch.setattr(writer_module, "ingest_group", counted)
    writer = Writer(toy_db, FieldRuntime(FieldSettings()))
    phases = ["apel", "berangkat"]
    units = [_unit(nrp, "movement", {"phase": p}) for p in phases for nrp in (ANDI, FAJAR)]
    units.append(_unit(EKO, "movement", APEL))

    async def send() -> list[Ingested]:
        return list(await asyncio.gather(*(writer.submit(unit) for unit in units)))

    results = asyncio.run(send())
    assert sizes == [5]
    assert [r.outcomes[0].status for r in results] == [201] * 5
    assert _count(toy_db, MovementRow) == 5
