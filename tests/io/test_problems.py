"""How problems read when shown to a user."""

from pamtps.io.problems import ImportFailed, Problem


def test_problem_names_file_row_column_and_value():
    """A problem reads as 'file row N, column C, value V: reason'."""
    problem = Problem("tps.csv", 14, "kode_tps", "16010720019", "not a 13-digit KPU TPS code")

    assert str(problem) == (
        "tps.csv row 14, column kode_tps, value '16010720019': not a 13-digit KPU TPS code"
    )


def test_problem_with_the_whole_file_names_only_the_file():
    """A problem with no row, column or value reads as 'file: reason'."""
    problem = Problem("tps.csv", None, None, None, "the file is empty")

    assert str(problem) == "tps.csv: the file is empty"


def test_import_failed_lists_every_problem_in_row_order():
    """The exception's message has one line per problem, sorted by row, under a count."""
    failed = ImportFailed([
        Problem("tps.csv", 9, "dpt", "-5", "dpt cannot be negative"),
        Problem("tps.csv", 3, "kode_desa", "16.01.07.2999", "unknown desa: not in OKU"),
    ])

    assert [p.row for p in failed.problems] == [3, 9]
    assert str(failed) == (
        "tps.csv could not be imported (2 problems):\n"
        "  tps.csv row 3, column kode_desa, value '16.01.07.2999': unknown desa: not in OKU\n"
        "  tps.csv row 9, column dpt, value '-5': dpt cannot be negative"
    )
