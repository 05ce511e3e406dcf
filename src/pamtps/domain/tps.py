"""Polling stations (TPS) and how vulnerable they are."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pamtps.domain.areas import dotted_code

TPS_KHUSUS_FROM = 900
"""TPS numbers from 900 up are special TPS (prisons, dormitories, plantations)."""


class TpsKind(enum.StrEnum):
    REGULER = "reguler"
    KHUSUS = "khusus"


class Precision(enum.StrEnum):
    """How a figure was obtained: measured on the ground, reported by a source, or estimated."""

    SURVEYED = "surveyed"
    REPORTED = "reported"  # named by a public source at desa level, not measured
    ESTIMATED = "estimated"


class VulnerabilityClass(enum.StrEnum):
    """Polri's grading of a TPS (the Kapolres decides; Bawaslu's mapping informs it)."""

    KURANG_RAWAN = "kurang_rawan"
    RAWAN = "rawan"
    SANGAT_RAWAN = "sangat_rawan"
    KHUSUS = "khusus"


def split_tps_code(code: str) -> tuple[str, int]:
    """Split a 13-digit KPU TPS code into the dotted desa code and the TPS number."""
    if len(code) != 13 or not code.isdigit():
        raise ValueError(f"not a KPU TPS code (13 digits): {code!r}")
    return dotted_code(code[:10]), int(code[10:])


def tps_code(desa_code: str, number: int) -> str:
    """The KPU TPS code of TPS ``number`` in the desa with dotted code ``desa_code``."""
    if not 1 <= number <= 999:
        raise ValueError(f"TPS number out of range 1-999: {number}")
    return desa_code.replace(".", "") + f"{number:03d}"


@dataclass(frozen=True, slots=True)
class Tps:
    """One polling station.

    ``voters`` is the DPT count; ``voters_precision`` says whether it is KPU's own figure or an
    estimate. ``lat``/``lng`` is where the TPS stands; TPS coordinates are not public, so most are
    estimated inside their desa and say so in ``location_precision``. ``indicators`` are Bawaslu
    vulnerability indicator keys; ``vulnerability`` is Polri's class and ``class_reasons`` why.
    """

    code: str
    number: int
    desa_code: str
    kind: TpsKind
    voters: int | None
    voters_precision: Precision
    lat: float
    lng: float
    location_precision: Precision
    indicators: frozenset[str] = field(default_factory=frozenset)
    vulnerability: VulnerabilityClass = VulnerabilityClass.KURANG_RAWAN
    class_reasons: tuple[str, ...] = ()

    @property
    def kecamatan_code(self) -> str:
        return self.desa_code.rsplit(".", 1)[0]

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d}"
