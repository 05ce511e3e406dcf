"""The TPS status timeline: steps in order, once each, only on the officer's own post."""

from __future__ import annotations

from pamtps.ops.field.ingest import Outcome
from pamtps.ops.field.orders import PublishResult
from pamtps.ops.field.tps_steps import STATUSES, timeline
from pamtps.store import Database
from tests.service.field.conftest import at, field_write
from tests.service.field.plans import ANDI, FAJAR, PASAR_1, SUKAMAJU_1


def _report(database: Database, nrp: str, tps: str, step: str, hour: int) -> Outcome:
    return field_write(database, nrp, "status", {"status": step}, tps, now=at(hour))


def test_a_tps_day_is_reported_step_by_step(toy_db: Database, published: PublishResult) -> None:
    """All six steps, in order, by the two officers of the post, make the timeline."""
    for hour, (nrp, step) in enumerate(zip([ANDI, FAJAR] * 3, STATUSES), start=7):
        assert _report(toy_db, nrp, SUKAMAJU_1.code, step, hour).status == 201
    with toy_db.session() as session:
        steps = [event["status"] for event in timeline(session, SUKAMAJU_1.code)]
    assert steps == list(STATUSES)


def test_a_status_out_of_order_is_refused_naming_the_expected_one(
    toy_db: Database, published: PublishResult
) -> None:
    """Counting reported after only 'dibuka' is refused (409): 'pemungutan' must come next."""
    _report(toy_db, ANDI, SUKAMAJU_1.code, "dibuka", 7)
    refused = _report(toy_db, ANDI, SUKAMAJU_1.code, "penghitungan", 13).error
    assert refused is not None
    assert (refused.status, refused.key) == (409, "field.status_out_of_order")
    expected = {"step": "penghitungan", "last": "dibuka", "expected": "pemungutan"}
    assert refused.params == expected


def test_a_status_reported_twice_is_refused(toy_db: Database, published: PublishResult) -> None:
    """Fajar cannot report 'dibuka' again after Andi did."""
    _report(toy_db, ANDI, SUKAMAJU_1.code, "dibuka", 7)
    assert _report(toy_db, FAJAR, SUKAMAJU_1.code, "dibuka", 7).status == 409


def test_an_officer_reports_only_the_tps_of_his_post(
    toy_db: Database, published: PublishResult
) -> None:
    """Andi (Hulu) cannot report for Pasar TPS 001 (Hilir): 403."""
    assert _report(toy_db, ANDI, PASAR_1.code, "dibuka", 7).status == 403
