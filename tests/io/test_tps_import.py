"""Importing a TPS list: every check names the row, column and reason; valid files give Tps."""

import pytest

from pamtps.domain import ElectionType, Precision, TpsKind
from pamtps.io.problems import Problem
from pamtps.io.tps_import import read_tps

PEMILU = ElectionType.PEMILU


@pytest.fixture
def tps_problems(corpus, problems_of, reference):
    """The problems of a corpus TPS file imported for the Pemilu."""
    return lambda name: problems_of(read_tps, corpus(name), reference, PEMILU)


def test_unknown_desa_code_is_reported(tps_problems):
    """A desa the reference does not have is refused on its row."""
    assert tps_problems("tps_unknown_desa.csv") == [
        Problem("tps_unknown_desa.csv", 3, "kode_desa", "16.01.07.2999",
                "unknown desa: not in OKU test")
    ]


def test_duplicate_kode_tps_names_the_first_row(tps_problems):
    """The second row with a kode_tps already seen is refused, pointing at the first."""
    assert tps_problems("tps_duplicate_kode_tps.csv") == [
        Problem("tps_duplicate_kode_tps.csv", 4, "kode_tps", "1601072001001",
                "duplicate kode_tps: already on row 2")
    ]


def test_coordinates_outside_the_desa_are_reported(tps_problems):
    """A point in the neighbouring desa is outside the TPS's own desa."""
    assert tps_problems("tps_outside_desa.csv") == [
        Problem("tps_outside_desa.csv", 2, "lat,lng", "-4.15,104.15",
                "outside desa 16.01.07.2001 (Negeri Sindang)")
    ]


def test_coordinates_outside_the_regency_are_reported(tps_problems):
    """A point far north of both desa is outside the regency."""
    assert tps_problems("tps_outside_regency.csv") == [
        Problem("tps_outside_regency.csv", 2, "lat,lng", "-3.5,104.05",
                "outside the regency (Kabupaten Ogan Komering Ulu)")
    ]


def test_negative_voters_are_refused(tps_problems):
    """A negative DPT is refused."""
    assert tps_problems("tps_negative_dpt.csv") == [
        Problem("tps_negative_dpt.csv", 2, "dpt", "-5", "dpt cannot be negative")
    ]


def test_450_voters_exceed_the_pemilu_cap(tps_problems):
    """450 voters is over the Pemilu cap of 300 per TPS."""
    assert tps_problems("tps_dpt_450.csv") == [
        Problem("tps_dpt_450.csv", 2, "dpt", "450", "dpt over the Pemilu cap of 300 voters per TPS")
    ]


def test_450_voters_are_within_the_pilkada_cap(corpus, reference):
    """The same file imports for a Pilkada, whose cap is 600."""
    [tps] = read_tps(corpus("tps_dpt_450.csv"), reference, ElectionType.PILKADA)

    assert (tps.voters, tps.voters_precision) == (450, Precision.SURVEYED)


def test_kode_tps_must_match_kode_desa_and_no_tps(tps_problems):
    """A kode_tps that is not kode_desa + no_tps is refused, showing the expected code."""
    assert tps_problems("tps_code_mismatch.csv") == [
        Problem("tps_code_mismatch.csv", 3, "kode_tps", "1601072001005",
                "does not match kode_desa 16.01.07.2001 + no_tps 004 (expected 1601072001004)")
    ]


def test_non_numeric_voters_are_refused(tps_problems):
    """DPT written in words is refused."""
    assert tps_problems("tps_dpt_not_number.csv") == [
        Problem("tps_dpt_not_number.csv", 2, "dpt", "dua ratus", "dpt must be a whole number")
    ]


def test_short_kode_tps_is_refused(tps_problems):
    """An 11-digit kode_tps is not a KPU TPS code."""
    assert tps_problems("tps_short_code.csv") == [
        Problem("tps_short_code.csv", 2, "kode_tps", "16010720019", "not a 13-digit KPU TPS code")
    ]


def test_tps_900_and_up_must_be_khusus(tps_problems):
    """TPS 901 declared reguler is refused: numbers from 900 up are TPS khusus."""
    assert tps_problems("tps_khusus_mismatch.csv") == [
        Problem("tps_khusus_mismatch.csv", 2, "jenis_tps", "reguler",
                "no_tps 901 makes a TPS khusus (khusus from 900 up)")
    ]


def test_every_problem_of_a_file_is_reported_at_once(tps_problems):
    """One import reports all five problems of four bad rows, not just the first."""
    assert tps_problems("tps_many_problems.csv") == [
        Problem("tps_many_problems.csv", 3, "dpt", "301",
                "dpt over the Pemilu cap of 300 voters per TPS"),
        Problem("tps_many_problems.csv", 4, "kode_tps", "1601072001002",
                "duplicate kode_tps: already on row 3"),
        Problem("tps_many_problems.csv", 5, "jenis_tps", "biasa",
                "jenis_tps must be one of: reguler, khusus"),
        Problem("tps_many_problems.csv", 5, "lng", "",
                "lng is blank but lat is given: give both or neither"),
        Problem("tps_many_problems.csv", 6, "dpt", "abc", "dpt must be a whole number"),
        Problem("tps_many_problems.csv", 6, "lat,lng", "-4.15,104.05",
                "outside desa 16.01.07.2002 (Rantau Kumpai)"),
    ]


def test_xlsx_with_a_bad_row_names_its_spreadsheet_row(xlsx, reference, problems_of):
    """In a workbook with an empty row, the bad row is named by the number Excel shows."""
    path = xlsx("tps.xlsx", [
        ["kode_tps", "no_tps", "kode_desa", "dpt"],
        [1601072001001, 1, "16.01.07.2001", 210],
        [],
        [1601072001002, 2, "16.01.07.2001", -3],
    ])

    assert problems_of(read_tps, path, reference, PEMILU) == [
        Problem("tps.xlsx", 4, "dpt", "-3", "dpt cannot be negative")
    ]


def test_published_file_format_imports_keeping_estimates_where_blank(corpus, reference):
    """The published OKU layout imports: given DPT is surveyed, desa_lat is not a TPS location."""
    tps = read_tps(corpus("ok_tps_published_format.csv"), reference, PEMILU)

    assert [(t.code, t.kind, t.voters, t.voters_precision) for t in tps] == [
        ("1601072001001", TpsKind.REGULER, 220, Precision.SURVEYED),
        ("1601072001002", TpsKind.REGULER, 205, Precision.ESTIMATED),
        ("1601072002001", TpsKind.REGULER, 190, Precision.ESTIMATED),
        ("1601072002901", TpsKind.KHUSUS, 150, Precision.SURVEYED),
    ]
    assert {t.location_precision for t in tps} == {Precision.ESTIMATED}


def test_known_tps_keeps_its_indicators_and_new_tps_stands_at_the_desa_point(corpus, reference):
    """A TPS the reference knows keeps its indicators; a new one is placed at its desa's point."""
    known, *_, new = read_tps(corpus("ok_tps_published_format.csv"), reference, PEMILU)

    assert known.indicators == frozenset({"sulit_dijangkau"})
    assert (new.desa_code, new.lat, new.lng, new.indicators) == (
        "16.01.07.2002", -4.15, 104.15, frozenset()
    )


def test_given_coordinates_are_surveyed_and_blank_voters_stay_unknown(corpus, reference):
    """Decimal-comma coordinates are read as surveyed; a new TPS without DPT has no voters."""
    surveyed, new = read_tps(corpus("ok_tps_semicolon_bom.csv"), reference, PEMILU)

    assert (surveyed.lat, surveyed.lng, surveyed.location_precision) == (
        -4.12, 104.03, Precision.SURVEYED
    )
    assert (new.code, new.voters, new.voters_precision) == (
        "1601072001003", None, Precision.ESTIMATED
    )


def test_point_just_outside_a_simplified_border_is_accepted(tmp_path, reference):
    """A TPS about 100 m outside its desa polygon is accepted: the polygons are simplified."""
    path = tmp_path / "tps.csv"
    path.write_text("kode_tps,no_tps,kode_desa,lat,lng\n1601072001001,1,16.01.07.2001,-4.15,104.1009\n")

    [tps] = read_tps(path, reference, PEMILU)

    assert tps.lng == 104.1009


def test_desa_without_polygon_is_checked_against_the_regency_only(tmp_path, reference):
    """With no desa boundaries given, a point anywhere in the regency is accepted."""
    path = tmp_path / "tps.csv"
    path.write_text("kode_tps,no_tps,kode_desa,lat,lng\n1601072001001,1,16.01.07.2001,-4.15,104.15\n")

    [tps] = read_tps(path, reference, PEMILU, desa_boundaries={})

    assert (tps.lat, tps.lng) == (-4.15, 104.15)


def test_a_class_column_is_refused_by_name_not_ignored(tmp_path, reference, problems_of):
    """A TPS list with kelas and status_rawan columns is refused, naming both and the rawan
    import, instead of being read as a list that changes nothing."""
    path = tmp_path / "tps.csv"
    path.write_text("kode_tps,no_tps,kode_desa,kelas,status_rawan\n"
                    "1601072001001,1,16.01.07.2001,rawan,ya\n", encoding="utf-8")
    problems = problems_of(read_tps, path, reference, PEMILU)
    assert [p.column for p in problems] == ["kelas", "status_rawan"]
    assert all("pamtps import rawan" in p.reason for p in problems)


def test_columns_that_are_not_read_are_named(tmp_path, reference):
    """Other columns are ignored and said to be: the TPS is read, 'keterangan' is named."""
    path = tmp_path / "tps.csv"
    path.write_text("kode_tps,no_tps,kode_desa,keterangan\n"
                    "1601072001001,1,16.01.07.2001,dekat sungai\n", encoding="utf-8")
    found = read_tps(path, reference, PEMILU)
    assert [t.code for t in found] == ["1601072001001"]
    assert found.ignored == ("keterangan",)
