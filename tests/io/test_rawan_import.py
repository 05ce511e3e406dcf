"""The Bawaslu rawan list: each listed TPS with its class, alasan and indicators, or every
problem of the file with its row, column and reason."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl

from pamtps.domain import VulnerabilityClass
from pamtps.io.problems import Problem
from pamtps.io.rawan_import import read_rawan
from pamtps.io.rawan_template import EXAMPLE_CODE, write_rawan_template

SINDANG_1, SINDANG_2, KUMPAI_1 = "1601072001001", "1601072001002", "1601072002001"


def write(tmp_path: Path, text: str, name: str = "rawan.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_listed_tps_gets_its_class_alasan_and_marked_indicators(tmp_path, reference):
    """Two TPS listed: classes as written (case and spaces ignored), the alasan kept, an
    indicator cell marked only when it is not blank, 0, '-' or 'tidak'."""
    path = write(tmp_path, "Kode TPS,Kelas,Alasan,lokasi,keamanan,Kecamatan\n"
                           f"{SINDANG_1},Rawan,dusun terpencil,sulit dijangkau,tidak,Sosoh\n"
                           f"{KUMPAI_1},sangat rawan,,-,riwayat kekerasan,Sosoh\n")
    found = read_rawan(path, reference)
    first, second = found.listings
    assert (first.tps, first.kelas, first.alasan) == (SINDANG_1, VulnerabilityClass.RAWAN,
                                                      "dusun terpencil")
    assert first.indicators == (("lokasi", "sulit dijangkau"),)
    assert (second.kelas, second.indicators) == (
        VulnerabilityClass.SANGAT_RAWAN, (("keamanan", "riwayat kekerasan"),))
    assert found.indicator_columns == ("lokasi", "keamanan")
    assert found.ignored_columns == ("kecamatan",)
    assert found.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert first.source == "rawan.csv"


def test_unknown_tps_unknown_kelas_and_a_duplicate_are_named_by_row_and_column(
    tmp_path, reference, problems_of
):
    """Every bad row is reported, the good one is not, nothing is returned."""
    path = write(tmp_path, "kode_tps,kelas\n"
                           f"{SINDANG_1},rawan\n"
                           "1601072001009,rawan\n"
                           f"{SINDANG_2},rawn\n"
                           f"{SINDANG_1},sangat_rawan\n"
                           "16010720,rawan\n")
    problems = problems_of(read_rawan, path, reference)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "kode_tps", "1601072001009"),
        (4, "kelas", "rawn"),
        (5, "kode_tps", SINDANG_1),
        (6, "kode_tps", "16010720"),
    ]
    assert "unknown TPS: not in OKU test" in problems[0].reason
    assert "unknown kelas" in problems[1].reason and "did you mean 'rawan'?" in problems[1].reason
    assert problems[2].reason == "duplicate kode_tps: already on row 2"
    assert problems[3].reason == "not a 13-digit KPU TPS code"


def test_a_list_without_a_kelas_column_is_refused_as_a_whole(tmp_path, reference, problems_of):
    """No kelas column: the header is named, not each row."""
    path = write(tmp_path, f"kode_tps,alasan\n{SINDANG_1},jauh\n")
    assert problems_of(read_rawan, path, reference) == [
        Problem("rawan.csv", 1, "kelas", None, "required column is missing")]


def test_a_blank_kelas_is_a_problem_of_its_row(tmp_path, reference, problems_of):
    """A listed TPS without a class cannot be planned: row 2, column kelas."""
    path = write(tmp_path, f"kode_tps,kelas\n{SINDANG_1},\n")
    [problem] = problems_of(read_rawan, path, reference)
    assert (problem.row, problem.column, problem.reason) == (2, "kelas", "kelas is required but "
                                                             "blank")


def test_the_template_example_is_refused_until_replaced_then_reads(tmp_path, reference,
                                                                    problems_of):
    """The XLSX template reads back: its example row is refused by name; with a real TPS code
    in its place the row imports with the example's class and indicators."""
    path = write_rawan_template(tmp_path / "rawan.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["TPS Rawan", "Petunjuk"]
    [problem] = problems_of(read_rawan, path, reference)
    assert (problem.row, problem.column, problem.value) == (2, "kode_tps", EXAMPLE_CODE)
    workbook["TPS Rawan"]["A2"] = SINDANG_2
    workbook.save(path)
    [listing] = read_rawan(path, reference).listings
    assert (listing.tps, listing.kelas) == (SINDANG_2, VulnerabilityClass.RAWAN)
    assert dict(listing.indicators) == {"lokasi": "sulit dijangkau",
                                        "listrik_internet": "tidak ada sinyal"}


def test_the_csv_template_has_the_same_columns(tmp_path, reference, problems_of):
    """The CSV template has the XLSX's header and example, and its example is refused too."""
    path = write_rawan_template(tmp_path / "rawan.csv")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("kode_tps,kelas,alasan,")
    [problem] = problems_of(read_rawan, path, reference)
    assert (problem.row, problem.column) == (2, "kode_tps")
