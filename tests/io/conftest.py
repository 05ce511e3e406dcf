"""A tiny regency to check imports against, small enough to follow by hand.

Kabupaten 16.01 holds one kecamatan with two square desa side by side (0.1 degree, about 11 km,
on a side)::

    lat -4.1  +----------------+----------------+
              | 16.01.07.2001  | 16.01.07.2002  |
              | Negeri Sindang | Rantau Kumpai  |
    lat -4.2  +----------------+----------------+
          lng 104.0        lng 104.1        lng 104.2

The reference knows three TPS (two in Negeri Sindang, one in Rantau Kumpai) with estimated voters,
the Polres and one Polsek.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest

from pamtps.domain import (
    Area,
    AreaLevel,
    Dataset,
    Precision,
    Tps,
    TpsKind,
    Unit,
    UnitType,
)
from pamtps.io.problems import ImportFailed, Problem

CORPUS = Path(__file__).parent / "corpus"
NEGERI_SINDANG = "16.01.07.2001"
RANTAU_KUMPAI = "16.01.07.2002"


def square(west: float, south: float, size: float = 0.1) -> dict:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def estimated_tps(desa: str, number: int, voters: int, lat: float, lng: float) -> Tps:
    code = desa.replace(".", "") + f"{number:03d}"
    return Tps(code, number, desa, TpsKind.REGULER, voters, Precision.ESTIMATED, lat, lng,
               Precision.ESTIMATED, indicators=frozenset({"sulit_dijangkau"}))


@pytest.fixture
def reference() -> Dataset:
    """Kabupaten 16.01 with two desa, three known TPS, the Polres and one Polsek."""
    areas = [
        Area("16.01", "Kabupaten Ogan Komering Ulu", AreaLevel.KABUPATEN),
        Area("16.01.07", "Sosoh Buay Rayap", AreaLevel.KECAMATAN),
        Area(NEGERI_SINDANG, "Negeri Sindang", AreaLevel.DESA, -4.15, 104.05, kind="desa"),
        Area(RANTAU_KUMPAI, "Rantau Kumpai", AreaLevel.DESA, -4.15, 104.15, kind="desa"),
    ]
    tps = [
        estimated_tps(NEGERI_SINDANG, 1, 210, -4.15, 104.05),
        estimated_tps(NEGERI_SINDANG, 2, 205, -4.15, 104.05),
        estimated_tps(RANTAU_KUMPAI, 1, 190, -4.15, 104.15),
    ]
    units = [
        Unit("polres-oku", "Polres OKU", UnitType.POLRES, None, (), RANTAU_KUMPAI,
             -4.12, 104.18, Precision.SURVEYED),
        Unit("polsek-sbr", "Polsek Sosoh Buay Rayap", UnitType.POLSEK, "polres-oku",
             ("16.01.07",), NEGERI_SINDANG, -4.16, 104.04, Precision.ESTIMATED),
    ]
    boundaries = {NEGERI_SINDANG: square(104.0, -4.2), RANTAU_KUMPAI: square(104.1, -4.2)}
    return Dataset("OKU test", ("16.01",), areas, tps, units, boundaries=boundaries)


@pytest.fixture(name="square")
def square_fixture() -> Callable[..., dict]:
    """The GeoJSON polygon of a square from its south-west corner (see square())."""
    return square


@pytest.fixture
def corpus() -> Callable[[str], Path]:
    """The path of a file in tests/io/corpus."""
    return lambda name: CORPUS / name


@pytest.fixture
def problems_of() -> Callable[..., list[Problem]]:
    """Call an import that must fail and return its problems."""

    def run(read: Callable[..., object], *args: object) -> list[Problem]:
        with pytest.raises(ImportFailed) as failed:
            read(*args)
        return failed.value.problems

    return run


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[[str, Sequence[Sequence[object]]], Path]:
    """Write rows (None = an empty spreadsheet row) to the first sheet of a new workbook."""

    def write(name: str, rows: Sequence[Sequence[object]]) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                sheet.cell(row=number, column=column, value=value)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write
