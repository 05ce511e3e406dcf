"""Guarded objects: offices and warehouses that need a guard besides the TPS."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class GuardedObjectKind(enum.StrEnum):
    KPU_KABUPATEN = "kpu_kabupaten"
    GUDANG_LOGISTIK = "gudang_logistik"
    PPK = "ppk"  # kecamatan election committee secretariat


@dataclass(frozen=True, slots=True)
class GuardedObject:
    code: str
    name: str
    kind: GuardedObjectKind
    kecamatan_code: str
    lat: float
    lng: float
    guard_size: int
