"""Situation reports: the numbers in the PDF and the workbook, the hourly run once per hour."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from pamtps.ops.sitrep.store import run_hourly
from pamtps.settings import Settings
from pamtps.store import Database
from tests.service.field.api import bearer
from tests.service.field.plans import SUKAMAJU_1
from tests.service.operations.conftest import PASAR_TPS
from tests.service.operations.world import BRIMOB, PUBLISHED_AT, add_incident

NOON = datetime(2024, 2, 14, 5, 0, tzinfo=UTC)


@pytest.fixture
def situation(reserve_db: Database, riot: int, client: TestClient, settings: Settings) -> dict:
    """The riot at Pasar with Brimob sent, and a late opening at Sukamaju already resolved."""
    with reserve_db.session() as session:
        add_incident(session, SUKAMAJU_1.code, "late_opening", sector="polsek_hulu", closed=True)
    head = bearer(reserve_db, settings, "komandan")
    sent = client.post("/api/v1/dispatches", json={"unit": BRIMOB, "incident": riot}, headers=head)
    assert sent.status_code == 201, sent.text
    made = client.post("/api/v1/sitreps", headers=head)
    assert made.status_code == 201, made.text
    return {"head": head, "sitrep": made.json()}


def test_the_workbook_holds_the_numbers(client: TestClient, situation: dict, tmp_path: Path):
    """Ringkasan: 6 TPS, 1 incident open and 1 closed, 1 Brimob officer committed."""
    sitrep = situation["sitrep"]
    download = client.get(sitrep["xlsx"], headers=situation["head"])
    assert download.status_code == 200
    (tmp_path / "s.xlsx").write_bytes(download.content)
    book = load_workbook(tmp_path / "s.xlsx")
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert summary["Jumlah TPS"] == 6
    assert (summary["Kejadian terbuka"], summary["Kejadian selesai"]) == (1, 1)
    assert summary["Cadangan dikerahkan (personel)"] == 1
    categories = list(book["Kategori"].iter_rows(min_row=4, values_only=True))
    assert categories == [("Kerumunan atau kerusuhan", 1, 0), ("TPS terlambat dibuka", 0, 1)]
    sectors = list(book["Sektor"].iter_rows(min_row=4, values_only=True))
    assert sectors == [("Polsek Hilir", 1, 0), ("Polsek Hulu", 0, 1)]


def test_the_workbook_lists_each_incident_open_and_closed(
    client: TestClient, situation: dict, riot: int, tmp_path: Path
):
    """Sheet 'Kejadian terbuka' lists the riot at Pasar, 'Kejadian selesai' the late opening at
    Sukamaju with its outcome; TPS and Polsek by name, times in WIB (UTC+7)."""
    download = client.get(situation["sitrep"]["xlsx"], headers=situation["head"])
    (tmp_path / "s.xlsx").write_bytes(download.content)
    book = load_workbook(tmp_path / "s.xlsx")
    assert book["Ringkasan"]["A2"].value.endswith("WIB")
    [still_open] = book["Kejadian terbuka"].iter_rows(min_row=4, values_only=True)
    assert still_open[1:7] == (
        f"#{riot}", f"TPS 001 Pasar ({PASAR_TPS})", "Kerumunan atau kerusuhan", "Tinggi", "Baru",
        "Polsek Hilir",
    )
    [closed] = book["Kejadian selesai"].iter_rows(min_row=4, values_only=True)
    assert closed[2:7] == (
        f"TPS 001 Sukamaju ({SUKAMAJU_1.code})", "TPS terlambat dibuka", "Tinggi", "Selesai",
        "Polsek Hulu",
    )
    assert closed[9] == f"{PUBLISHED_AT + timedelta(hours=7):%d-%m %H:%M}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_the_pdf_holds_the_numbers(client: TestClient, situation: dict, tmp_path: Path):
    """The PDF, read back as text, names the report and lists the riot and the committed unit."""
    download = client.get(situation["sitrep"]["pdf"], headers=situation["head"])
    assert download.headers["content-type"] == "application/pdf"
    (tmp_path / "s.pdf").write_bytes(download.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "LAPORAN SITUASI" in text
    assert "Kejadian terbuka" in text and "Kerumunan atau kerusuhan" in text
    assert "Kejadian selesai" in text and "TPS terlambat dibuka" in text
    assert "diberangkatkan" in text and "Pleton 1 Brimob" in text


def test_latest_links_the_newest_report(client: TestClient, situation: dict):
    """GET /sitreps/latest answers the report just made, with its download links."""
    latest = client.get("/api/v1/sitreps/latest", headers=situation["head"]).json()
    assert latest["id"] == situation["sitrep"]["id"]
    assert latest["summary"]["incidents_open"] == 1


def test_the_hourly_report_is_written_once_per_hour(reserve_db: Database, settings: Settings):
    """Two runs in one hour write one report; the next hour writes another."""
    with reserve_db.session() as session:
        first = run_hourly(session, NOON, settings.data_dir)
        again = run_hourly(session, NOON.replace(minute=59), settings.data_dir)
        later = run_hourly(session, NOON.replace(hour=6), settings.data_dir)
    assert first is not None and again is None and later is not None
    assert Path(first.pdf_path).is_file() and Path(first.xlsx_path).is_file()
    assert Path(first.pdf_path).parent == settings.data_dir / "sitrep"
