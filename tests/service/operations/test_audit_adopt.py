"""Adoption: a database an older PamTPS wrote, whose operational rows no audit entry records,
made verifiable once, after the upgrade, by ``pamtps audit adopt``.

The legacy database is the morning of ``test_audited_tables`` (incidents, reports, steps, seals,
handovers) and the published plan's orders, with its keyed chain rewritten as a version that
kept no row digests would have left it: the ``rows.written`` entries gone, no ``rows`` in any
payload, every row re-hashed under the key and the checkpoint written for the new head. The
chain itself verifies; the tables do not, until the adoption.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from pamtps.ops import audit
from pamtps.ops.audit_checkpoint import write_checkpoint
from pamtps.settings import Settings, get_settings
from pamtps.store import Database
from pamtps.store.security import AUDITED_TABLES, database_identity
from pamtps.store.tables.security import AuditRow
from tests.service.audit_tools import insert_copy, sql, verify
from tests.service.field.api import bearer
from tests.service.operations.test_audited_tables import _post, morning

__all__ = ["morning"]  # the fixture, used by the tests below

BY, REASON = "admin.polres", "pembaruan PamTPS ke versi yang mencatat tabel operasional"


@pytest.fixture(autouse=True)
def _checkpoint_at_each_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checkpoint is read right after commits: written in the commit's thread."""
    monkeypatch.setenv("PAMTPS_AUDIT_CHECKPOINT_LAG_MS", "0")
    get_settings.cache_clear()


def _operational_rows(db: Database) -> dict[str, int]:
    """How many rows each audited table holds (the non-empty ones)."""
    with db.session() as session:
        counts = {table: session.scalar(select(func.count()).select_from(source)) or 0
                  for table, source in AUDITED_TABLES.items()}
    return {table: count for table, count in counts.items() if count}


def _audit_rows(db: Database) -> list[dict[str, Any]]:
    with db.session() as session:
        return [dict(row) for row in session.execute(
            select(AuditRow.__table__).order_by(AuditRow.id)).mappings()]


def _as_before_the_upgrade(db: Database, *, unkeyed: bool = False) -> None:
    """Rewrite the chain as a PamTPS that recorded no row digests left it: keyed, linked,
    checkpointed, and silent about the operational tables; ``unkeyed``: as an older one still,
    plain SHA-256 and no checkpoint."""
    kept = [row for row in _audit_rows(db) if row["action"] != "rows.written"]
    prev, rows = audit.GENESIS, []
    for number, row in enumerate(kept, start=1):
        payload = {key: value for key, value in (row["payload"] or {}).items() if key != "rows"}
        fields = row | {"id": number, "payload": payload, "prev_hash": prev}
        fields["hash"] = prev = (audit.legacy_row_hash if unkeyed else audit.row_hash)(fields)
        rows.append(fields)
    sql(db, "DELETE FROM audit_log")
    with db.session() as session:
        for fields in rows:
            session.execute(text(
                "INSERT INTO audit_log (id, at, actor, action, subject, payload, prev_hash, hash) "
                "VALUES (:id, :at, :actor, :action, :subject, :payload, :prev_hash, :hash)"),
                fields | {"payload": json.dumps(fields["payload"])})
        identity = database_identity(session)
    for path in Path(get_settings().data_dir).glob("audit-checkpoint-*.json"):
        path.unlink()
    if not unkeyed:
        write_checkpoint(audit.chain_key(), identity, (rows[-1]["id"], rows[-1]["hash"]), 1)


@pytest.fixture
def legacy(db: Database, morning: int) -> int:
    """The morning as a pre-upgrade database holds it; the incident's id."""
    _as_before_the_upgrade(db)
    assert not any((row["payload"] or {}).get("rows") for row in _audit_rows(db))
    return morning


def test_a_legacy_database_fails_verify_naming_its_rows_and_the_adopt_command(
    db: Database, legacy: int, cli: Any
):
    """Before adoption, verify names an unrecorded row, counts them all and points at adopt."""
    result = verify(db)
    assert not result.ok
    total = sum(_operational_rows(db).values())
    assert "is not recorded in the audit chain" in (result.reason or ""), result.reason
    assert f"({total} unrecorded rows in all)" in (result.reason or "")
    assert "pamtps audit adopt" in (result.reason or "")
    broken = cli("audit", "verify")
    assert broken.exit_code == 1 and "pamtps audit adopt" in broken.output


def test_adoption_records_every_row_once_and_verify_passes(
    db: Database, legacy: int, cli: Any
):
    """Adopt records each operational row in ``rows.adopted`` entries by the operator, with his
    reason, appended to the keyed chain; verify then passes, by API and CLI; a second adopt
    finds nothing to adopt and writes nothing."""
    counts = _operational_rows(db)
    before = _audit_rows(db)
    done = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert done.exit_code == 0, done.output
    assert f"Adopted {sum(counts.values())} rows" in done.output
    adopted = _audit_rows(db)[len(before):]
    assert adopted and all(row["action"] == audit.ADOPT_ACTION for row in adopted)
    assert {(row["actor"], row["payload"]["reason"]) for row in adopted} == {(BY, REASON)}
    recorded: dict[str, dict[str, str | None]] = {}
    for row in adopted:
        for table, digests in row["payload"]["rows"].items():
            assert not set(digests) & set(recorded.get(table, {})), "a row adopted twice"
            recorded.setdefault(table, {}).update(digests)
    assert {table: len(ids) for table, ids in recorded.items()} == counts
    result = verify(db)
    assert result.ok, result.reason
    assert result.rows == len(before) + len(adopted)
    intact = cli("audit", "verify")
    assert intact.exit_code == 0, intact.output
    again = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert again.exit_code == 0, again.output
    assert "Nothing to adopt" in again.output
    assert len(_audit_rows(db)) == len(before) + len(adopted)


def test_a_tampered_recorded_row_makes_adopt_refuse_changing_nothing(
    db: Database, legacy: int, settings: Settings, client: TestClient, cli: Any
):
    """After the upgrade the Polsek hands the incident over (recorded); its row then altered in
    SQL is tampering: adopt refuses, sends the operator to verify, and writes nothing."""
    head = bearer(db, settings, "sek.hulu")
    _post(client, head, f"/api/v1/incidents/{legacy}/transition",
          {"to": "handled", "owner": "Iptu Sari, Kapolsek Hulu"})
    sql(db, "UPDATE incidents SET severity = 'rendah' WHERE id = :id", id=legacy)
    before = _audit_rows(db)
    refused = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert refused.exit_code == 1
    assert f"table incidents row {legacy} differs" in refused.output
    assert "pamtps audit verify" in refused.output
    assert _audit_rows(db) == before
    result = verify(db)
    assert not result.ok and f"table incidents row {legacy} differs" in (result.reason or "")


def test_adopting_after_later_recorded_writes_leaves_them_as_they_were(
    db: Database, legacy: int, settings: Settings, client: TestClient
):
    """Rows written after the upgrade (the incident handed over) keep their own entries; adopt
    records only the rows no entry records, and the chain verifies."""
    head = bearer(db, settings, "sek.hulu")
    _post(client, head, f"/api/v1/incidents/{legacy}/transition",
          {"to": "handled", "owner": "Iptu Sari, Kapolsek Hulu"})
    with db.session() as session:
        adoption = audit.adopt(session, BY, REASON)
    assert str(legacy) not in {ident for row in _audit_rows(db)
                               if row["action"] == audit.ADOPT_ACTION
                               for ident in row["payload"]["rows"].get("incidents", {})}
    assert adoption.rows["incident_reports"] == 2
    assert verify(db).ok, verify(db).reason


@pytest.mark.parametrize(("statement", "found"), [
    pytest.param("UPDATE escort_seals SET seal = 'Z-999' WHERE id = :id", "differs",
                 id="seal-swapped"),
    pytest.param("DELETE FROM escort_seals WHERE id = :id", "missing", id="seal-removed"),
])
def test_an_edit_after_adoption_is_detected(
    db: Database, legacy: int, cli: Any, statement: str, found: str
):
    """An adopted row is vouched like any other: changed or removed in SQL afterwards, verify
    names it, and adopt refuses to record it again."""
    assert cli("audit", "adopt", "--by", BY, "--reason", REASON).exit_code == 0
    with db.session() as session:
        seal = session.scalar(select(func.max(AUDITED_TABLES["escort_seals"].c.id)))
    sql(db, statement, id=seal)
    result = verify(db)
    assert not result.ok
    assert f"table escort_seals row {seal} " in (result.reason or "") and found in (
        result.reason or "")
    assert cli("audit", "adopt", "--by", BY, "--reason", REASON).exit_code == 1


def test_a_row_inserted_after_adoption_is_not_adopted(db: Database, legacy: int, cli: Any):
    """Adoption is once: a row inserted in SQL after it fails verify and adopt refuses it."""
    assert cli("audit", "adopt", "--by", BY, "--reason", REASON).exit_code == 0
    with db.session() as session:
        newest = session.scalar(select(func.max(AUDITED_TABLES["incident_reports"].c.id)))
    assert newest is not None
    insert_copy(db, "incident_reports", newest, id=newest + 10)
    assert "is not recorded" in (verify(db).reason or "")
    refused = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert refused.exit_code == 1 and "already holds the adoption" in refused.output


def test_a_row_inserted_behind_a_recording_chain_is_not_adopted(db: Database, morning: int):
    """On a database this version wrote from the start, a row inserted in SQL is newer than
    the rows its table recorded: not one an older PamTPS wrote, so adopt refuses it."""
    insert_copy(db, "incidents", morning, id=morning + 50, category="other")
    before = _audit_rows(db)
    with db.session() as session, pytest.raises(audit.AdoptRefused, match="newer than row"):
        audit.adopt(session, BY, REASON)
    assert _audit_rows(db) == before


def test_nothing_to_adopt_on_a_recording_database(db: Database, morning: int, cli: Any):
    """Every row recorded by its write: adopt says so and writes nothing."""
    before = _audit_rows(db)
    answer = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert answer.exit_code == 0 and "Nothing to adopt" in answer.output
    assert _audit_rows(db) == before


def test_adopt_needs_an_operator_and_a_reason(db: Database, legacy: int, cli: Any):
    """A blank --by or --reason is refused before anything is read or written."""
    before = _audit_rows(db)
    refused = cli("audit", "adopt", "--by", "  ", "--reason", REASON)
    assert refused.exit_code == 1 and "--by" in refused.output
    assert _audit_rows(db) == before


def test_an_unkeyed_chain_adopts_its_rows_and_stops_excusing_them(
    db: Database, morning: int, cli: Any
):
    """A chain from before the key (plain SHA-256): its unrecorded rows are excused by verify
    as an older PamTPS's; adopt records them in keyed entries, after which the excuse is gone:
    a row inserted below the recorded ones fails verify."""
    _as_before_the_upgrade(db, unkeyed=True)
    assert verify(db).ok, verify(db).reason
    done = cli("audit", "adopt", "--by", BY, "--reason", REASON)
    assert done.exit_code == 0 and "Adopted" in done.output, done.output
    result = verify(db)
    assert result.ok, result.reason
    with db.session() as session:
        first = session.scalar(select(func.min(AUDITED_TABLES["incident_reports"].c.id)))
    assert first is not None
    insert_copy(db, "incident_reports", first, id=first - 1)  # below every recorded row
    result = verify(db)
    assert not result.ok
    assert f"table incident_reports row {first - 1} is not recorded" in (result.reason or "")
