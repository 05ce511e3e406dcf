"""Sectors: the Polsek areas that posts never cross, each with the base its officers start from.

A sector is a Polsek's set of kecamatan. A kecamatan that no Polsek covers is a sector of its
own, ``sector.<kecamatan code>``, based at the Polres headquarters of its regency (the Polres
answers for it directly) or, where the dataset has no such Polres, at the kecamatan's own point.
"""

from __future__ import annotations

from dataclasses import dataclass

from pamtps.domain import AreaLevel, Dataset, Unit, UnitType

NO_POLSEK_PREFIX = "sector."


@dataclass(frozen=True)
class Sector:
    """A sector: its code (the Polsek's unit code), name, kecamatan and base point."""

    code: str
    name: str
    kecamatan_codes: tuple[str, ...]
    base_lat: float
    base_lng: float


def sectors(dataset: Dataset) -> dict[str, Sector]:
    """Every sector of the dataset by code: one per Polsek, one per kecamatan without one.

    Kecamatan are those of the dataset's areas and of its TPS, so that every TPS has a sector.
    """
    result = {
        unit.code: Sector(unit.code, unit.name, unit.kecamatan_codes, unit.base_lat, unit.base_lng)
        for unit in dataset.polsek
    }
    covered = {kec for sector in result.values() for kec in sector.kecamatan_codes}
    kecamatan = {a.code for a in dataset.areas_at(AreaLevel.KECAMATAN)}
    kecamatan |= {t.kecamatan_code for t in dataset.tps}
    for kec in sorted(kecamatan - covered):
        area = dataset.area_by_code.get(kec)
        name = f"Kecamatan {area.name if area else kec}"
        code = NO_POLSEK_PREFIX + kec
        polres = _polres_of(dataset, kec)
        if polres is not None:
            result[code] = Sector(code, f"{polres.name} ({name})", (kec,), polres.base_lat,
                                  polres.base_lng)
        elif area is not None and area.lat is not None and area.lng is not None:
            result[code] = Sector(code, name, (kec,), area.lat, area.lng)
        else:  # no point known: the middle of its TPS
            points = [(t.lat, t.lng) for t in dataset.tps if t.kecamatan_code == kec] or [(0, 0)]
            lat = sum(p[0] for p in points) / len(points)
            lng = sum(p[1] for p in points) / len(points)
            result[code] = Sector(code, name, (kec,), lat, lng)
    return result


def _polres_of(dataset: Dataset, kecamatan_code: str) -> Unit | None:
    """The Polres whose base stands in the kecamatan's regency (the only Polres, failing that)."""
    polres = [unit for unit in dataset.units if unit.type is UnitType.POLRES]
    regency = kecamatan_code[:5]
    local = [u for u in polres if (u.base_desa_code or "").startswith(regency)]
    if local:
        return local[0]
    return polres[0] if len(polres) == 1 else None


def sector_by_kecamatan(dataset: Dataset) -> dict[str, str]:
    """Kecamatan code -> sector code, for every kecamatan of the dataset's areas and TPS."""
    return {kec: s.code for s in sectors(dataset).values() for kec in s.kecamatan_codes}


def sector_of_tps(dataset: Dataset) -> dict[str, str]:
    """TPS code -> sector code, for every TPS of the dataset."""
    by_kec = sector_by_kecamatan(dataset)
    return {t.code: by_kec[t.kecamatan_code] for t in dataset.tps}
