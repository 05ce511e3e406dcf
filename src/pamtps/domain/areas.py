"""Administrative areas: provinsi > kabupaten/kota > kecamatan > desa/kelurahan.

Codes are Kemendagri codes in their dotted form (``16.01.07.2001``); KPU uses the same digits
without dots (``1601072001``).
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass


class AreaLevel(enum.StrEnum):
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"
    DESA = "desa"


_LEVEL_BY_PARTS = {
    1: AreaLevel.PROVINSI,
    2: AreaLevel.KABUPATEN,
    3: AreaLevel.KECAMATAN,
    4: AreaLevel.DESA,
}
_PART_WIDTHS = (2, 2, 2, 4)


def level_of(code: str) -> AreaLevel:
    """The level of a dotted Kemendagri code; raises ValueError on a malformed code."""
    parts = code.split(".")
    if len(parts) > 4 or any(
        len(part) != width or not part.isdigit() for part, width in zip(parts, _PART_WIDTHS)
    ):
        raise ValueError(f"not a Kemendagri area code: {code!r}")
    return _LEVEL_BY_PARTS[len(parts)]


def parent_code(code: str) -> str | None:
    """The code of the enclosing area, or None for a province."""
    parts = code.split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def kpu_code(code: str) -> str:
    """The KPU form of an area code: the same digits without dots."""
    return code.replace(".", "")


def dotted_code(kpu: str) -> str:
    """The dotted Kemendagri form of a KPU area code (2, 4, 6 or 10 digits)."""
    if not kpu.isdigit() or len(kpu) not in (2, 4, 6, 10):
        raise ValueError(f"not a KPU area code: {kpu!r}")
    cuts = [0, 2, 4, 6, 10][: {2: 2, 4: 3, 6: 4, 10: 5}[len(kpu)]]
    return ".".join(kpu[a:b] for a, b in itertools.pairwise(cuts))


@dataclass(frozen=True, slots=True)
class Area:
    """One administrative area with its representative point.

    ``lat``/``lng`` is a point inside the area (for a desa: guaranteed inside its polygon), not the
    office of its government. ``kind`` tells a desa from a kelurahan; it is None above desa level.
    """

    code: str
    name: str
    level: AreaLevel
    lat: float | None = None
    lng: float | None = None
    area_km2: float | None = None
    kind: str | None = None

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.code)

    @property
    def kpu_code(self) -> str:
        return kpu_code(self.code)
