"""The Sprint attachment workbook: one sheet per sector, every post officer once, printable."""

from __future__ import annotations

from collections import Counter
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook import Workbook

from pamtps.documents.sprint_xlsx import write_sprint_xlsx
from pamtps.domain.plan import Duty, Plan, Scenario

HEADER_ROW = 8


@pytest.fixture(scope="module")
def book(oku: Scenario, toy: Plan, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = write_sprint_xlsx(toy, oku, tmp_path_factory.mktemp("xlsx") / "sprint.xlsx")
    return openpyxl.load_workbook(path)


def rows(book: Workbook, sheet: str) -> list[dict[str, Any]]:
    ws = book[sheet]
    header = [c.value for c in ws[HEADER_ROW]]
    return [
        dict(zip(header, values, strict=True))
        for values in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]


def sector_names(oku: Scenario) -> list[str]:
    return [unit.name for unit in oku.dataset.polsek]


def test_workbook_has_rekap_a_sheet_per_sector_padal_and_cadangan(
    book: Workbook, oku: Scenario
) -> None:
    """The tabs are Rekap, Kekuatan, the 11 Polsek of OKU in order, then Padal, Pam Objek and
    Cadangan."""
    assert book.sheetnames == [
        "Rekap", "Kekuatan", *sector_names(oku), "Padal", "Pam Objek", "Cadangan"]


def test_every_post_officer_appears_once_with_his_nrp_and_rank(
    book: Workbook, oku: Scenario, toy: Plan
) -> None:
    """The sector sheets together list each officer on a post exactly once, rank as on roster."""
    listed = [row for name in sector_names(oku) for row in rows(book, name)]
    on_posts = {a.nrp for a in toy.assignments if a.duty is Duty.POST}
    assert Counter(row["NRP"] for row in listed) == Counter(on_posts)
    rank = {o.nrp: o.rank.name for o in oku.dataset.personnel}
    assert all(row["Pangkat"] == rank[row["NRP"]] for row in listed)


def test_each_sector_sheet_holds_only_its_own_posts(
    book: Workbook, oku: Scenario, toy: Plan
) -> None:
    """A Polsek's sheet lists the posts of its sector and no other."""
    sector_of_post = {p.id: p.sector for p in toy.posts}
    for unit in oku.dataset.polsek:
        assert {sector_of_post[row["Pos"]] for row in rows(book, unit.name)} == {unit.code}


def test_each_officer_row_names_his_partner_and_role(book: Workbook) -> None:
    """A pair has one Ketua Tim and one Anggota, each naming the other as partner."""
    first, second = rows(book, "Polsek Ulu Ogan")[:2]
    assert (first["Peran"], second["Peran"]) == ("Ketua Tim", "Anggota")
    assert first["Pasangan"] == f"{second['Pangkat']} {second['Nama']}"
    assert second["Pasangan"] == f"{first['Pangkat']} {first['Nama']}"


def test_rekap_totals_count_every_tps_post_and_officer(book: Workbook, toy: Plan) -> None:
    """The Rekap's JUMLAH row adds up to the plan: 1,225 TPS, all posts, all post officers."""
    total = rows(book, "Rekap")[-1]
    assert total["Sektor"] == "JUMLAH"
    assert total["Jumlah TPS"] == 1225
    assert total["Pos"] == len(toy.posts)
    assert total["Personel Pos"] == sum(1 for a in toy.assignments if a.duty is Duty.POST)
    assert total["TPS Rawan"] == 25 and total["TPS Khusus"] == 1


def test_cadangan_lists_every_reserve_officer_at_his_station(book: Workbook, toy: Plan) -> None:
    """Each reserve officer has a row naming where he waits."""
    listed = {row["NRP"]: row["Tempat Siaga"] for row in rows(book, "Cadangan")}
    reserve = [a for a in toy.assignments if a.duty is Duty.RESERVE]
    assert set(listed) == {a.nrp for a in reserve}
    assert Counter(listed.values())["Kantor KPU Kabupaten OKU"] == 27


def test_sheets_print_landscape_on_a4_one_page_wide_with_titles(book: Workbook) -> None:
    """Every sheet prints landscape A4, fitted to width, header row repeated, panes frozen."""
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"


def test_heading_names_polres_operation_date_and_blank_sprint_number(book: Workbook) -> None:
    """The heading carries the Kapolres, the operation, voting day and 'Sprin/ .. /II/2024'."""
    ws = book["Polsek Baturaja Barat"]
    heading = [ws.cell(row, 1).value for row in range(1, 7)]
    assert heading[0] == "LAMPIRAN SURAT PERINTAH KAPOLRES OGAN KOMERING ULU"
    assert str(heading[1]).startswith("NOMOR : Sprin/") and str(heading[1]).endswith("/II/2024")
    assert heading[4] == "DAFTAR PERSONEL PENGAMANAN TPS SEKTOR POLSEK BATURAJA BARAT"
    assert "OPERASI MANTAP BRATA 2024" in str(heading[5]) and "14 FEBRUARI 2024" in str(heading[5])


def test_pam_objek_lists_the_guards_by_object(book: Workbook) -> None:
    """The object guards are listed under the object's name."""
    objects = Counter(row["Objek"] for row in rows(book, "Pam Objek"))
    assert objects == {"Gudang Logistik KPU OKU": 2, "Sekretariat PPK Ulu Ogan": 2}


def test_tps_cell_names_numbers_with_their_desa(book: Workbook, oku: Scenario, toy: Plan) -> None:
    """TPS numbers restart in each desa, so each line of the TPS cell names its desa."""
    post = next(p for p in toy.posts if len({code[:10] for code in p.tps}) > 1)
    sheet = oku.dataset.unit_by_code[post.sector].name
    row = next(r for r in rows(book, sheet) if r["Pos"] == post.id)
    desa = str(row["Desa/Kelurahan"]).split(", ")
    lines = str(row["TPS"]).splitlines()
    assert len(lines) == len(desa) > 1
    assert all(line.endswith(f"({name})") for line, name in zip(lines, desa, strict=True))
