"""The Polda's documents on hand-made records: the Sprint BKO (real XLSX and PDF, Indonesian
numbers) and the viewer page in Chromium at 390 and 1366 px (no sideways scroll, links work)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pamtps.documents.polda_view import MAP_FILE, write_viewer
from pamtps.documents.sprint_bko import write_sprint_bko_pdf, write_sprint_bko_xlsx
from pamtps.domain.scale import PolresResult
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.scale.allocate import PLATOON, Need, Pool, allocate
from pamtps.scale.polda import Base, PoldaReport, PoldaSetup, write_record
from tests.documents.pdf_tools import pdf_text
from tests.service.dashboard.live import BROWSER_ARGS, CHROMIUM

NEEDS = [Need("16.72", 0, 1200, 30, 200.0), Need("16.74", 2, 900, 30, 80.0)]
POOL = Pool(bko_polri=1500, brimob=3 * PLATOON, tni=20, reserve_share=Fraction(1, 10))


def record(code: str, name: str, bko: int, brimob: int, tni: int, short: int) -> PolresResult:
    return PolresResult(code, name, "16", 1494, 11, 1168, bko, brimob, tni, 0, short, 1.5,
                        True, True)


@pytest.fixture
def report() -> PoldaReport:
    allocation = allocate(NEEDS, POOL)
    shares = {s.code: s for s in allocation.shares}
    names = {"16.72": "Kota Pagar Alam", "16.74": "Kota Prabumulih"}
    results = [record(n.code, names[n.code], shares[n.code].bko_polri, shares[n.code].brimob,
                      shares[n.code].tni, shares[n.code].tps_short) for n in NEEDS]
    setup = PoldaSetup("16", load_operation(bundled_operation("default")), POOL,
                       (Base("Mapolda", -2.98, 104.75),))
    return PoldaReport(setup, [], NEEDS, allocation, results)


def test_sprint_bko_workbook_holds_the_pool_and_every_polres(report: PoldaReport,
                                                             tmp_path: Path) -> None:
    """The workbook: kept, lent and not lent per force, a row per Polres, totals, Indonesian."""
    summary = report.to_json()
    book = openpyxl.load_workbook(write_sprint_bko_xlsx(summary, tmp_path / "s.xlsx"))
    cells = [[str(c) for c in row if c is not None] for row in book.active.iter_rows(
        values_only=True)]
    flat = [c for row in cells for c in row]
    assert "Kota Pagar Alam" in flat and "Kota Prabumulih" in flat
    lent = sum(r.bko_polri for r in report.results)
    assert lent == 1350  # 1,500 less the 10 % kept: the pool is short of 2,102 seats
    assert "1.350" in flat  # Indonesian thousands separator
    assert summary["kept_in_reserve"]["bko_polri"] == 150
    total_row = next(row for row in cells if row and row[0] == "Jumlah" and len(row) > 6)
    assert str(sum(r.shortfall for r in report.results)).replace(",", ".") in " ".join(
        total_row).replace(".", "")
    assert book.active.page_setup.orientation == "landscape"


def test_sprint_bko_pdf_is_printable_a4(report: PoldaReport, tmp_path: Path) -> None:
    """The PDF prints the title, both tables and the synthetic-roster warning."""
    path = write_sprint_bko_pdf(report.to_json(), tmp_path / "s.pdf")
    text = pdf_text(path)
    assert "SURAT PERINTAH" in text and "Kota Prabumulih" in text and "1.350" in text
    assert "sintetis" in text
    box = path.read_bytes().split(b"/MediaBox")[1][:60]
    assert b"841.8" in box and b"595.2" in box  # A4 landscape, in points


def folder_with_records(report: PoldaReport, tmp_path: Path) -> Path:
    for result in report.results:
        write_record(tmp_path, result)
    (tmp_path / "16.72").mkdir()
    # A real PNG (1 x 1), so the drill-down link lands on an image the browser can show.
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
    (tmp_path / "16.72" / MAP_FILE).write_bytes(png)
    write_viewer(tmp_path)
    return tmp_path


def test_viewer_reads_any_folder_of_records(report: PoldaReport, tmp_path: Path) -> None:
    """Totals sum the records; only a Polres with a map gets a link; English on request."""
    folder = folder_with_records(report, tmp_path)
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count(f"/{MAP_FILE}\"") == 1 and "belum ada peta" in html
    assert "2.988" in html  # 1,494 TPS twice, Indonesian
    english = (folder / "index.en.html").read_text(encoding="utf-8")
    assert "2,988" in english and "no map yet" in english
    broken = tmp_path / "polres" / "16.99.json"
    broken.write_text(json.dumps({"polres_code": "16.99"}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"16\.99\.json"):
        write_viewer(folder)


@pytest.fixture(scope="module")
def chromium() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_viewer_fits_the_screen_and_its_links_work(
    report: PoldaReport, tmp_path: Path, chromium: Any, size: tuple[int, int]
) -> None:
    """No sideways scroll at 390 and 1366 px; the map link opens the Polres's map; the
    language link opens the English page."""
    folder = folder_with_records(report, tmp_path)
    page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto((folder / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    assert page.get_by_text("Kota Prabumulih").is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("index.en.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    page.get_by_role("link", name="Map 16.72").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"16.72/{MAP_FILE}")
    assert page.evaluate("document.images[0].naturalWidth") == 1
    page.screenshot(path=str(tmp_path / "viewer.png"))
    page.close()
