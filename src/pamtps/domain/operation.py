"""The operation: which election, when, and its phases."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class ElectionType(enum.StrEnum):
    PEMILU = "pemilu"
    PILKADA = "pilkada"

    @property
    def voter_cap(self) -> int:
        """KPU's cap on voters per TPS (Pemilu 2024: 300, Pilkada 2024: 600)."""
        return 300 if self is ElectionType.PEMILU else 600


class Phase(enum.StrEnum):
    LOGISTIK = "logistik"
    KAMPANYE = "kampanye"
    MASA_TENANG = "masa_tenang"
    PEMUNGUTAN = "pemungutan"
    PENGHITUNGAN = "penghitungan"
    PENGAWALAN_KOTAK = "pengawalan_kotak"
    REKAPITULASI = "rekapitulasi"


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    election_type: ElectionType
    voting_day: date
    regency_code: str
