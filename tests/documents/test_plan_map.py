"""The plan map: a real PNG of a size that prints and reads on screen."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from pamtps.documents.plan_map import write_plan_png
from pamtps.domain.plan import Plan, Scenario

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def peta(oku: Scenario, toy: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plan_png(toy, oku, tmp_path_factory.mktemp("map") / "peta.png")


def test_map_is_a_png_of_sensible_size(peta: Path) -> None:
    """A PNG between 1,200 and 4,000 pixels wide, wider than tall, not empty."""
    width, height = png_size(peta)
    assert 1200 <= width <= 4000 and 800 <= height < width
    assert peta.stat().st_size > 100_000


def test_map_resolution_follows_dpi(oku: Scenario, toy: Plan, peta: Path, tmp_path: Path) -> None:
    """Half the dpi gives about half the pixels across."""
    half = png_size(write_plan_png(toy, oku, tmp_path / "b.png", dpi=75))[0]
    assert abs(png_size(peta)[0] / half - 2) < 0.1
