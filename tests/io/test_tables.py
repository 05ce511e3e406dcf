"""Reading CSV and XLSX files: encodings, delimiters, headers and row numbers."""

from pamtps.io.problems import Problem
from pamtps.io.tables import read_table


def test_latin1_file_is_refused_naming_the_line_and_byte(corpus, problems_of):
    """A CSV saved as Windows-1252 is refused with the line and byte that are not UTF-8."""
    problems = problems_of(read_table, corpus("tps_latin1.csv"), ["kode_tps"])

    assert problems == [Problem(
        "tps_latin1.csv", 3, None, "1601072002001,1,16.01.07.2002,Rantau Kumpai \u2013 Ulu,190",
        "the file must be UTF-8, but byte 0x96 at character 45 of line 3 is not UTF-8 "
        "(the file looks like latin-1/Windows-1252): save it as 'CSV UTF-8'",
    )]


def test_empty_file_is_refused(corpus, problems_of):
    """A file of zero bytes is refused as empty."""
    assert problems_of(read_table, corpus("empty.csv"), ["kode_tps"]) == [
        Problem("empty.csv", None, None, None, "the file is empty")
    ]


def test_header_only_file_is_refused(corpus, problems_of):
    """A file with a header and no data rows is refused."""
    assert problems_of(read_table, corpus("tps_header_only.csv"), ["kode_tps"]) == [
        Problem("tps_header_only.csv", None, None, None, "the file has a header but no data rows")
    ]


def test_missing_column_is_named_with_the_likely_misspelling(corpus, problems_of):
    """A missing required column is named, with the header's closest unused column as a hint."""
    problems = problems_of(read_table, corpus("tps_missing_column.csv"),
                           ["kode_tps", "no_tps", "kode_desa"])

    assert problems == [Problem("tps_missing_column.csv", 1, "no_tps", None,
                                "required column is missing (is 'nomor_tps' meant?)")]


def test_tab_separated_file_is_refused_as_one_column(corpus, problems_of):
    """A file separated by tabs is refused once, saying to use ',' or ';'."""
    problems = problems_of(read_table, corpus("tps_tab_separated.csv"), ["kode_tps", "no_tps"])

    assert problems == [Problem(
        "tps_tab_separated.csv", 1, None, "kode_tps\tno_tps\tkode_desa\tdpt",
        "only one column found: columns must be separated by ',' or ';' "
        "(this header is separated by tabs)",
    )]


def test_duplicate_header_is_refused_naming_both_columns(corpus, problems_of):
    """Two headers that are the same once case is ignored are refused, with column letters."""
    problems = problems_of(read_table, corpus("tps_duplicate_column.csv"), ["kode_tps"])

    assert problems == [Problem("tps_duplicate_column.csv", 1, "dpt", "DPT",
                                "duplicate column: columns D and E")]


def test_unknown_extension_is_refused(corpus, problems_of):
    """Only .csv and .xlsx are read."""
    assert problems_of(read_table, corpus("tps.txt"), ["kode_tps"]) == [
        Problem("tps.txt", None, None, None,
                "unknown file type ('.txt'): save it as .csv (UTF-8) or .xlsx")
    ]


def test_row_with_more_cells_than_the_header_is_noted(corpus):
    """An unquoted ',' inside a value gives a row too many cells: noted for that row."""
    table = read_table(corpus("tps_extra_cells.csv"), ["kode_tps"])

    assert table.problems.items == [Problem(
        "tps_extra_cells.csv", 3, None, "205",
        "more cells than the header's 5 columns (a ',' inside a value that is not in quotes?)",
    )]


def test_semicolon_file_with_bom_and_spaced_headers_is_read(corpus):
    """A ';'-separated file with a UTF-8 BOM and 'Kode TPS' headers reads as kode_tps."""
    table = read_table(corpus("ok_tps_semicolon_bom.csv"), ["kode_tps", "dpt"])

    assert table.header == ("kode_tps", "no_tps", "kode_desa", "dpt", "lat", "lng")
    assert [(row.number, row["kode_tps"], row["dpt"]) for row in table.rows] == [
        (2, "1601072001001", "215"),
        (4, "1601072001003", ""),
    ]


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(xlsx):
    """Empty rows are skipped but counted, and whole-number cells read without '.0'."""
    path = xlsx("tps.xlsx", [["Kode TPS", "DPT"], [1601072001001, 210.0], [], [None, None],
                             ["1601072001002", 205]])

    table = read_table(path, ["kode_tps", "dpt"])

    assert [(row.number, row["kode_tps"], row["dpt"]) for row in table.rows] == [
        (2, "1601072001001", "210"),
        (5, "1601072001002", "205"),
    ]


def test_damaged_xlsx_is_refused(tmp_path, problems_of):
    """A file named .xlsx that is not a workbook is refused as such."""
    path = tmp_path / "tps.xlsx"
    path.write_text("kode_tps\n1601072001001\n")

    assert problems_of(read_table, path, ["kode_tps"]) == [
        Problem("tps.xlsx", None, None, None, "not a valid XLSX workbook (BadZipFile)")
    ]


def test_text_that_is_not_a_table_is_refused_as_one_column(corpus, problems_of):
    """A file of prose has one column: refused once, saying how columns are separated."""
    problems = problems_of(read_table, corpus("tps_garbage.csv"), ["kode_tps", "no_tps"])

    assert problems == [Problem(
        "tps_garbage.csv", 1, None, "Daftar TPS Kabupaten OKU",
        "only one column found: columns must be separated by ',' or ';'",
    )]


def test_title_rows_above_the_header_are_skipped(xlsx):
    """A title above the header is passed over; rows keep the numbers the spreadsheet shows."""
    path = xlsx("personel.xlsx", [["DAFTAR PERSONEL PAM TPS"], [], ["NRP", "Nama"],
                                  ["90020002", "Siti Aminah"]])

    table = read_table(path, ["nrp", "nama"])

    assert [(row.number, row["nama"]) for row in table.rows] == [(4, "Siti Aminah")]
