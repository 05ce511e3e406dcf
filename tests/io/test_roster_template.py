"""The roster template: what a user fills in is what read_roster reads."""

import csv

import openpyxl
import pytest

from pamtps.domain.personnel import POLRI_RANKS, TNI_RANKS
from pamtps.io.problems import Problem
from pamtps.io.roster_import import EXAMPLE_NAME, OPTIONAL, REQUIRED, read_roster
from pamtps.io.roster_template import COLUMNS, write_roster_template


def test_template_documents_exactly_the_columns_the_importer_reads():
    """Every column read_roster knows is in the template, and nothing else."""
    assert list(COLUMNS) == [*REQUIRED, *OPTIONAL]


def test_xlsx_template_has_header_example_and_petunjuk(tmp_path):
    """The workbook holds the header and one example row, then a 'Petunjuk' sheet."""
    path = write_roster_template(tmp_path / "personel.xlsx")

    workbook = openpyxl.load_workbook(path)
    rows = list(workbook["Personel"].iter_rows(values_only=True))
    assert workbook.sheetnames == ["Personel", "Petunjuk"]
    assert rows[0] == tuple(COLUMNS)
    assert [row for row in rows[1:] if any(row)] == [rows[1]]


def test_petunjuk_explains_every_column_and_lists_ranks_and_statuses(tmp_path):
    """The instructions name each column, every Polri and TNI rank, and the Indonesian statuses."""
    path = write_roster_template(tmp_path / "personel.xlsx")

    cells = {
        value for row in openpyxl.load_workbook(path)["Petunjuk"].iter_rows(values_only=True)
        for value in row if value
    }
    assert set(COLUMNS) <= cells
    assert {rank.name for rank in POLRI_RANKS + TNI_RANKS} <= cells
    assert {"siap", "sakit", "cuti", "dik", "tugas_lain"} <= cells


def test_untouched_template_is_refused_at_its_example_row(tmp_path, reference, problems_of):
    """Importing the template as written fails: its example row must be deleted first."""
    path = write_roster_template(tmp_path / "personel.xlsx")

    assert problems_of(read_roster, path, reference) == [
        Problem("personel.xlsx", 2, "nama", EXAMPLE_NAME,
                "this is the template's example row: delete it")
    ]


def test_example_row_with_a_real_name_imports_as_one_brimob_officer(tmp_path, reference):
    """Once renamed, the example row imports against any reference: it declares its unit."""
    path = write_roster_template(tmp_path / "personel.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Personel"]["B2"] = "Rudi Hartono"
    workbook.save(path)

    officers, units = read_roster(path, reference)

    assert [(o.name, o.rank.name, o.origin.value, o.unit_code) for o in officers] == [
        ("Rudi Hartono", "Bripda", "bko_polri", "kompi-contoh-brimob-polda")
    ]
    assert [unit.name for unit in units] == ["Kompi Contoh Brimob Polda"]


def test_csv_template_is_a_plain_two_line_file(tmp_path):
    """A .csv name gives the header and the example row, UTF-8 with a BOM for Excel."""
    path = write_roster_template(tmp_path / "personel.csv")

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as lines:
        rows = list(csv.reader(lines))
    assert rows == [list(COLUMNS), [example for _, example in COLUMNS.values()]]


def test_other_suffixes_are_refused(tmp_path):
    """The template is only written as .xlsx or .csv."""
    with pytest.raises(ValueError, match=r"must be \.xlsx or \.csv"):
        write_roster_template(tmp_path / "personel.ods")
