"""Situation reports kept: files in ``data_dir/sitrep`` and a row each; the hourly run.

``run_hourly(session, now, data_dir)`` writes the report of the hour once: the hour's ``slot``
is unique, claimed by an ``INSERT ... ON CONFLICT DO NOTHING``, so two processes (or a loop and a
test) never write it twice. It runs only while a plan is in force (the operation).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pamtps.documents.sitrep import write_pdf, write_xlsx
from pamtps.domain.clock import utc
from pamtps.ops import audit
from pamtps.ops.sitrep.report import build_sitrep
from pamtps.store import Session
from pamtps.store.plans import current_publication
from pamtps.store.response import add_sitrep
from pamtps.store.tables.response import SitrepRow

HOURLY, ON_DEMAND = "hourly", "on_demand"


def _files(data_dir: Path, now: datetime, kind: str) -> tuple[Path, Path]:
    folder = data_dir / "sitrep"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"laporan-situasi-{utc(now):%Y%m%d-%H%M%S}-{kind}"
    return folder / f"{stem}.pdf", folder / f"{stem}.xlsx"


def make_sitrep(
    session: Session,
    now: datetime,
    data_dir: Path,
    *,
    actor: str,
    kind: str = ON_DEMAND,
    slot: str | None = None,
) -> SitrepRow | None:
    """Build, write and store a report (None if its ``slot`` was taken already)."""
    report = build_sitrep(session, now)
    pdf, xlsx = _files(data_dir, now, kind)
    summary: dict[str, Any] = report.totals | {"operation": report.operation}
    values = {
        "at": utc(now),
        "kind": kind,
        "slot": slot,
        "created_by": actor,
        "pdf_path": str(pdf),
        "xlsx_path": str(xlsx),
        "summary": summary,
    }
    sitrep_id = add_sitrep(session, values)
    if sitrep_id is None:
        return None
    write_pdf(report, pdf)
    write_xlsx(report, xlsx)
    audit.record(session, actor, "sitrep.created", f"sitrep:{sitrep_id}", summary)
    return session.get_one(SitrepRow, sitrep_id)


def run_hourly(
    session: Session, now: datetime, data_dir: Path, every: timedelta = timedelta(hours=1)
) -> SitrepRow | None:
    """The report of the period holding ``now``, unless written already or no plan is in force."""
    if current_publication(session) is None:
        return None
    seconds = int(every.total_seconds())
    start = int(utc(now).timestamp()) // seconds * seconds
    slot = f"{HOURLY}:{start}"
    return make_sitrep(session, now, data_dir, actor="system:sitrep", kind=HOURLY, slot=slot)


def sitrep_json(row: SitrepRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": utc(row.at).isoformat(),
        "kind": row.kind,
        "created_by": row.created_by,
        "summary": row.summary,
        "pdf": f"/api/v1/sitreps/{row.id}/pdf",
        "xlsx": f"/api/v1/sitreps/{row.id}/xlsx",
    }
