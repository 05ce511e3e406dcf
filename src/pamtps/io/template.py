"""A blank import file with its instructions: the templates of the roster and the rawan list.

A CSV holds the header and an example row; an XLSX also has a "Petunjuk" sheet in Indonesian that
explains each column (required or not, an example) and lists the valid values, with the text
columns formatted as text (so that leading zeros survive) and the choice columns validated.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Template:
    """What one template holds; ``columns`` maps each column to (explanation, example)."""

    kind: str  # in error messages: "roster", "rawan"
    sheet: str  # the title of the data sheet
    columns: dict[str, tuple[str, str]]
    required: frozenset[str]
    intro: list[str]  # the instructions before the table of columns, a title first
    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    text_columns: tuple[str, ...] = ()
    choices: dict[str, tuple[list[str], bool]] = field(default_factory=dict)  # (values, blank)
    max_rows: int = 2000
    min_width: int = 12
    widths: tuple[int, int, int, int] = (24, 28, 90, 34)  # of the instruction sheet's columns


def write_template(path: str | Path, template: Template) -> Path:
    """Write ``template``: CSV when the name ends in .csv, else an XLSX workbook whose second
    sheet "Petunjuk" explains it."""
    path = Path(path)
    header = list(template.columns)
    example = [example for _, example in template.columns.values()]
    if path.suffix.casefold() == ".csv":
        # utf-8-sig: the BOM makes Excel open the file as UTF-8; the readers accept it.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows([header, example])
        return path
    if path.suffix.casefold() != ".xlsx":
        raise ValueError(f"{template.kind} template must be .xlsx or .csv, not {path.name!r}")
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = template.sheet
    _write_data_sheet(sheet, template, header, example)
    _write_instructions(workbook.create_sheet("Petunjuk"), template)
    workbook.save(path)
    return path


def _write_data_sheet(
    sheet: Worksheet, template: Template, header: list[str], example: list[str]
) -> None:
    sheet.append(header)
    sheet.append(example)
    sheet.freeze_panes = "A2"
    last = template.max_rows
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(template.min_width,
                                                    len(example[index - 1]) + 2)
        if name in template.text_columns:
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        if name in template.choices:
            values, blank = template.choices[name]
            rule = DataValidation(type="list", formula1=f'"{",".join(values)}"',
                                  allow_blank=blank)
            rule.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(rule)


def _write_instructions(sheet: Worksheet, template: Template) -> None:
    bold = Font(bold=True)
    for line in template.intro:
        sheet.append([line])
    sheet.append([])
    sheet.append(["Kolom", "Wajib", "Penjelasan", "Contoh"])
    table_row = sheet.max_row
    for name, (explanation, example) in template.columns.items():
        sheet.append([name, "ya" if name in template.required else "tidak", explanation, example])
    for title, entries in template.sections:
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for entry in entries:
            sheet.append(list(entry))
    for row in (1, table_row):
        for cell in sheet[row]:
            cell.font = bold
    for letter, width in zip("ABCD", template.widths):
        sheet.column_dimensions[letter].width = width
