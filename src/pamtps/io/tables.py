"""Read a CSV or XLSX file into a header and numbered rows, refusing files that cannot be read.

Problems with the whole file (encoding, emptiness, header) raise ImportFailed at once; a row with
more cells than the header is noted in ``Table.problems`` so the importer reports it with the rest.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from pamtps.io.problems import ImportFailed, Problem, Problems, closest

SUFFIXES = (".csv", ".xlsx")
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its spreadsheet row number and its cells by normalised column name."""

    number: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True, slots=True)
class Table:
    file: str
    header: tuple[str, ...]
    rows: list[Row]
    problems: Problems


def normalise_header(name: str) -> str:
    """``" Kode TPS"`` -> ``"kode_tps"``: case, spaces and hyphens do not matter in a header."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def read_table(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """Read a .csv (UTF-8, ',' or ';') or .xlsx (first sheet) file.

    ``aliases`` maps other header names to the canonical ones. Columns that are neither required
    nor optional are ignored. Raises ImportFailed when the file as a whole cannot be used.
    """
    path = Path(path)
    file = path.name
    suffix = path.suffix.casefold()
    if suffix not in SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ImportFailed.of_file(file, f"unknown file type ({shown}): save it as .csv (UTF-8) "
                                   "or .xlsx")
    try:
        raw = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    except OSError as error:
        raise ImportFailed.of_file(file, f"cannot be read: {error.strerror or error}") from None
    rows = [(number, cells) for number, cells in raw if any(cells)]
    if not rows:
        raise ImportFailed.of_file(file, "the file is empty")
    aliases = aliases or {}
    start = _header_index(rows, required, aliases)
    (header_row, header_cells), data = rows[start], rows[start + 1 :]
    problems = Problems(file)
    header = _header(header_row, header_cells, aliases, problems)
    _check_columns(header_row, header_cells, header, required, optional, problems)
    problems.raise_if_any()
    if not data:
        problems.add(None, None, None, "the file has a header but no data rows")
        problems.raise_if_any()
    wanted = set(required) | set(optional)
    table_rows = [_row(number, cells, header, wanted, problems) for number, cells in data]
    return Table(file, tuple(header), table_rows, problems)


def _names(cells: list[str], aliases: Mapping[str, str]) -> list[str]:
    names = [normalise_header(cell) for cell in cells]
    return [aliases.get(name, name) for name in names]


def _header_index(
    rows: list[tuple[int, list[str]]], required: Sequence[str], aliases: Mapping[str, str]
) -> int:
    """The header is the first non-blank row, unless title rows stand above it (as in many
    exported rosters): then it is the first of the next rows that has every required column."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if set(required) <= set(_names(cells, aliases)):
            return index
    return 0


def _header(
    number: int, cells: list[str], aliases: Mapping[str, str], problems: Problems
) -> list[str]:
    header = _names(cells, aliases)
    first: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in first:
            columns = f"{get_column_letter(first[name] + 1)} and {get_column_letter(index + 1)}"
            problems.add(number, name, cells[index], f"duplicate column: columns {columns}")
        else:
            first[name] = index
    return header


def _check_columns(
    number: int,
    cells: list[str],
    header: list[str],
    required: Sequence[str],
    optional: Sequence[str],
    problems: Problems,
) -> None:
    missing = [name for name in required if name not in header]
    if not missing:
        return
    nonblank = [cell for cell in cells if cell]
    separator = next((s for s in ("\t", "|") if s in nonblank[0]), None) if nonblank else None
    if len(nonblank) == 1 and (separator or len(required) > 1):
        named = {"\t": " (this header is separated by tabs)", "|": " (this header is "
                 "separated by '|')"}.get(separator or "", "")
        problems.add(number, None, nonblank[0][:60], "only one column found: columns must be "
                     f"separated by ',' or ';'{named}")
        return
    unused = [name for name in header if name and name not in (*required, *optional)]
    for name in missing:
        near = closest(name, unused)
        hint = f" (is '{near}' meant?)" if near else ""
        problems.add(number, name, None, f"required column is missing{hint}")


def _row(
    number: int, cells: list[str], header: list[str], wanted: set[str], problems: Problems
) -> Row:
    extra = [cell for cell in cells[len(header):] if cell]
    if extra:
        problems.add(number, None, ", ".join(extra),
                     f"more cells than the header's {len(header)} columns "
                     "(a ',' inside a value that is not in quotes?)")
    values = {name: cell for name, cell in zip(header, cells, strict=False) if name in wanted}
    return Row(number, values)


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    data = path.read_bytes()
    text = _decode(data, path.name)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        # Row numbers count records, as a spreadsheet shows them, not physical lines.
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ImportFailed.of_file(path.name, f"not readable as CSV: {error}",
                                   row=len(rows) + 1) from None
    return rows


def _decode(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed.of_file(file, "the file is UTF-16 but must be UTF-8: "
                                   "save it as 'CSV UTF-8'")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFailed.of_file(file, "this is an XLSX workbook, not a CSV file: name it .xlsx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed([_encoding_problem(data, error.start, file)]) from None


def _encoding_problem(data: bytes, offset: int, file: str) -> Problem:
    line_number = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data[line_start:].split(b"\n", 1)[0].rstrip(b"\r")
    try:
        data.decode("cp1252")
        guess = "the file looks like latin-1/Windows-1252"
    except UnicodeDecodeError:
        guess = "the encoding is unknown"
    return Problem(
        file,
        line_number,
        None,
        line.decode("cp1252", errors="replace")[:60],
        f"the file must be UTF-8, but byte 0x{data[offset]:02X} at character "
        f"{offset - line_start + 1} of line {line_number} is not UTF-8 ({guess}): "
        "save it as 'CSV UTF-8'",
    )


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file
        reason = f"not a valid XLSX workbook ({type(error).__name__})"
        raise ImportFailed.of_file(path.name, reason) from None
    try:
        sheet = workbook.worksheets[0]
        # The stored dimensions can be wrong in files from other tools: read every row.
        sheet.reset_dimensions()
        return list(_numbered(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()


def _numbered(rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(rows, start=1):
        yield number, [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
