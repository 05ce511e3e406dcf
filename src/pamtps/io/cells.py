"""Reading the cells of one row into values, noting a Problem for every cell that is wrong."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TypeVar

from pamtps.domain import AreaLevel, Dataset
from pamtps.domain.areas import dotted_code, level_of
from pamtps.io.problems import Problems
from pamtps.io.tables import Row

T = TypeVar("T")

_INTEGER = re.compile(r"[+-]?\d+(\.0+)?")
# A decimal comma is accepted too: Indonesian spreadsheets write -4,192245.
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LNG = (94.5, 141.5)


def choice_key(text: str) -> str:
    """How a choice is compared: "Tugas Lain" and "tugas_lain" are the same."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


class RowCheck:
    """The cells of one row, read with checks; every failed check is noted in ``problems``."""

    def __init__(self, row: Row, problems: Problems) -> None:
        self.row = row
        self.problems = problems
        self.failures = 0

    def text(self, column: str) -> str:
        return self.row[column]

    def fail(self, column: str | None, reason: str, value: str | None = None) -> None:
        if value is None and column is not None:
            value = self.row[column]
        self.problems.add(self.row.number, column, value, reason)
        self.failures += 1

    def required(self, column: str) -> str | None:
        """The cell's text; None (and a problem) when it is blank."""
        text = self.row[column]
        if not text:
            self.fail(column, f"{column} is required but blank")
            return None
        return text

    def tps_code(self, column: str = "kode_tps") -> str | None:
        """A KPU TPS code (10-digit desa code and 3-digit number); None when blank or malformed
        (then noted)."""
        code = self.required(column)
        if code is None:
            return None
        if len(code) != 13 or not code.isdigit():
            self.fail(column, "not a 13-digit KPU TPS code")
            return None
        return code

    def first(self, column: str, value: str, first_row: dict[str, int]) -> bool:
        """Whether this is the file's first row with ``value`` in ``column`` (recorded in
        ``first_row``); a repeat is noted with the row it repeats."""
        if value in first_row:
            self.fail(column, f"duplicate {column}: already on row {first_row[value]}")
            return False
        first_row[value] = self.row.number
        return True

    def integer(self, column: str) -> int | None:
        """A whole number, or None when blank or not a whole number (then noted)."""
        text = self._matching(column, _INTEGER, "a whole number")
        return None if text is None else int(float(text))

    def decimal(self, column: str) -> float | None:
        """A finite decimal number, or None when blank or not a number (then noted)."""
        text = self._matching(column, _DECIMAL, "a number")
        if text is None:
            return None
        value = float(text.replace(",", "."))
        if not math.isfinite(value):  # 1e999
            self.fail(column, f"{column} must be a finite number")
            return None
        return value

    def _matching(self, column: str, pattern: re.Pattern[str], what: str) -> str | None:
        text = self.row[column]
        if text and not pattern.fullmatch(text):
            self.fail(column, f"{column} must be {what}")
            return None
        return text or None

    def choice(self, column: str, options: Mapping[str, T]) -> T | None:
        """One of ``options`` (keys compared by choice_key); None when blank or unknown."""
        text = self.row[column]
        if not text:
            return None
        try:
            return options[choice_key(text)]
        except KeyError:
            self.fail(column, f"{column} must be one of: {', '.join(options)}")
            return None

    def desa(self, column: str, reference: Dataset, text: str | None = None) -> str | None:
        """The dotted code of a desa of ``reference`` written in either form (dotted or KPU)."""
        text = self.row[column] if text is None else text
        code = desa_code(text)
        if code is None:
            self.fail(column, "not a desa code (like 16.01.07.2001 or 1601072001)", text)
            return None
        area = reference.area_by_code.get(code)
        if area is None or area.level is not AreaLevel.DESA:
            self.fail(column, f"unknown desa: not in {reference.name}", text)
            return None
        return code

    def point(self) -> tuple[float, float] | None:
        """The (lat, lng) of the optional lat and lng columns: both or neither must be given."""
        if not self.row["lat"] and not self.row["lng"]:
            return None
        for given, blank in (("lat", "lng"), ("lng", "lat")):
            if not self.row[blank]:
                self.fail(blank, f"{blank} is blank but {given} is given: give both or neither")
                return None
        lat, lng = self.decimal("lat"), self.decimal("lng")
        if lat is None or lng is None:
            return None
        for column, value, limit in (("lat", lat, 90), ("lng", lng, 180)):
            if abs(value) > limit:
                swapped = " (lat and lng swapped?)" if looks_swapped(lat, lng) else ""
                self.fail(column, f"{column} must be between -{limit} and {limit}{swapped}")
                return None
        return lat, lng


def looks_swapped(lat: float, lng: float) -> bool:
    """True when (lng, lat) would lie in Indonesia though (lat, lng) does not."""
    return _in_indonesia(lng, lat) and not _in_indonesia(lat, lng)


def _in_indonesia(lat: float, lng: float) -> bool:
    (south, north), (west, east) = INDONESIA_LAT, INDONESIA_LNG
    return south <= lat <= north and west <= lng <= east


def desa_code(text: str) -> str | None:
    """The dotted code of a desa code written dotted (16.01.07.2001) or as KPU digits, or None."""
    text = text.strip()
    try:
        code = dotted_code(text) if text.isdigit() else text
        return code if level_of(code) is AreaLevel.DESA else None
    except ValueError:
        return None
