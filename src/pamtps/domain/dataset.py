"""A Dataset: everything known about one regency for an operation, held in memory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from pamtps.domain.areas import Area, AreaLevel
from pamtps.domain.objects import GuardedObject
from pamtps.domain.personnel import Officer
from pamtps.domain.rawan import RawanListing
from pamtps.domain.tps import Tps, TpsKind
from pamtps.domain.units import Unit, UnitType


@dataclass(slots=False)
class Dataset:
    """Areas, TPS, units, personnel and guarded objects of one regency (or several).

    ``regency_codes`` names the kabupaten/kota covered. ``boundaries`` maps an area code to its
    GeoJSON geometry (a dict) where one is known. ``bawaslu_rawan`` is the imported Bawaslu
    rawan list, by TPS code (empty when none was imported). ``indicators`` holds the village
    indicators of each desa (dotted kode_desa -> indicator key -> value, None where unknown; e.g.
    PODES ``jarak_jalan``) that the geographic pre-screen weighs; empty when none are known.
    """

    name: str
    regency_codes: tuple[str, ...]
    areas: list[Area]
    tps: list[Tps]
    units: list[Unit] = field(default_factory=list)
    personnel: list[Officer] = field(default_factory=list)
    objects: list[GuardedObject] = field(default_factory=list)
    boundaries: dict[str, dict] = field(default_factory=dict)
    bawaslu_rawan: dict[str, RawanListing] = field(default_factory=dict)
    indicators: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @cached_property
    def area_by_code(self) -> dict[str, Area]:
        return {area.code: area for area in self.areas}

    @cached_property
    def unit_by_code(self) -> dict[str, Unit]:
        return {unit.code: unit for unit in self.units}

    def areas_at(self, level: AreaLevel) -> list[Area]:
        return [area for area in self.areas if area.level is level]

    @property
    def polsek(self) -> list[Unit]:
        return [unit for unit in self.units if unit.type is UnitType.POLSEK]

    def sector_of(self, kecamatan_code: str) -> Unit | None:
        """The Polsek whose sector holds the kecamatan, if any."""
        for unit in self.polsek:
            if kecamatan_code in unit.kecamatan_codes:
                return unit
        return None

    def with_personnel(self, personnel: Iterable[Officer], units: Iterable[Unit] = ()) -> Dataset:
        """A copy with the roster replaced (and extra units, e.g. BKO platoons, added)."""
        known = {unit.code for unit in self.units}
        extra = [unit for unit in units if unit.code not in known]
        return Dataset(
            self.name,
            self.regency_codes,
            self.areas,
            self.tps,
            self.units + extra,
            list(personnel),
            self.objects,
            self.boundaries,
            self.bawaslu_rawan,
            self.indicators,
        )

    def counts(self) -> dict[str, object]:
        """The stable summary: area, TPS and unit counts, and personnel by summary group."""
        personnel = {"polres": 0, "bko_polri": 0, "brimob": 0, "tni": 0}
        for officer in self.personnel:
            personnel[officer.summary_group] += 1
        return {
            "kabupaten": len(self.areas_at(AreaLevel.KABUPATEN)),
            "kecamatan": len(self.areas_at(AreaLevel.KECAMATAN)),
            "desa": len(self.areas_at(AreaLevel.DESA)),
            "tps": len(self.tps),
            "tps_khusus": sum(1 for t in self.tps if t.kind is TpsKind.KHUSUS),
            "polsek": len(self.polsek),
            "personnel": personnel,
        }
