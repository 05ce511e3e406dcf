"""The national TPS network cut into the units a national run plans: one Polres per
kabupaten/kota, grouped by Polda (one per province).

Sectors never cross a Polres and no officer serves outside his own, so a Polda's plan is its
Polres' plans side by side and the nation's is its Polda's: each Polres is planned alone, which is
what lets a national run spread them over workers. The network is the bundled national file
(Pemilu 2024, per desa: TPS count, special TPS, centroid): 38 provinces, 514 kabupaten/kota,
83,731 desa, 820,161 TPS.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from pamtps.datasets.files import read_csv
from pamtps.datasets.national import DESA_FILE, NATIONAL, regencies, regency_name


class UnknownPolda(ValueError):
    """A province code that the national network does not hold."""


@dataclass(frozen=True)
class PolresPart:
    """One Polres of a run: its kabupaten/kota, its Polda, and the size of its network."""

    code: str  # kabupaten/kota code, e.g. "16.01"
    name: str
    polda_code: str  # province code, e.g. "16"
    desa: int
    tps: int


@dataclass(frozen=True)
class PoldaPart:
    """One Polda of a run: its province and its Polres, in code order."""

    code: str
    name: str
    polres: tuple[PolresPart, ...]

    @property
    def tps(self) -> int:
        return sum(p.tps for p in self.polres)


def partition(
    rows: Iterable[Mapping[str, str]],
    names: Mapping[str, str],
    polda_names: Mapping[str, str],
) -> list[PoldaPart]:
    """Desa rows (``kode_kab``, ``n_tps``) cut into Polres, grouped by Polda (the province: the
    code's first part), both in code order. ``names`` names each kabupaten/kota,
    ``polda_names`` each province."""
    desa: dict[str, int] = defaultdict(int)
    tps: dict[str, int] = defaultdict(int)
    province: dict[str, str] = {}
    for row in rows:
        code = row["kode_kab"]
        desa[code] += 1
        tps[code] += int(row["n_tps"])
        province[code] = code.split(".")[0]
    by_polda: dict[str, list[PolresPart]] = defaultdict(list)
    for code in sorted(tps):
        by_polda[province[code]].append(
            PolresPart(code, names[code], province[code], desa[code], tps[code]))
    return [PoldaPart(code, polda_names[code], tuple(parts))
            for code, parts in sorted(by_polda.items())]


@cache
def national_network() -> tuple[PoldaPart, ...]:
    """The bundled national network: 38 Polda, 514 Polres, 820,161 TPS."""
    table = regencies()
    names = {code: f"Polres {regency_name(code).removeprefix('Kabupaten ')}" for code in table}
    polda_names = {row["kode_prov"]: f"Polda {row['nama_prov'].title()}"
                   for row in table.values()}
    return tuple(partition(read_csv(NATIONAL, DESA_FILE), names, polda_names))


def polda_of(code: str, network: Iterable[PoldaPart] | None = None) -> PoldaPart:
    """The Polda of a province code ("16", or "16.00"), else UnknownPolda naming the codes."""
    poldas = {p.code: p for p in (national_network() if network is None else network)}
    key = code.strip().split(".")[0]
    if key not in poldas:
        raise UnknownPolda(f"unknown Polda {code!r}: expected a province code, one of "
                           f"{', '.join(sorted(poldas))}")
    return poldas[key]


def largest_first(polres: Iterable[PolresPart]) -> list[PolresPart]:
    """The Polres by TPS count, largest first (ties by code): handed out in this order, the
    longest plans start first and the small ones fill the gaps at the end of a run."""
    return sorted(polres, key=lambda p: (-p.tps, p.code))
