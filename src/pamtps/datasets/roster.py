"""A seeded generator of realistic, clearly synthetic rosters.

No real roster is public. Planning still needs one, so this makes a Polres with its HQ functions
and Polsek, plus BKO Polri, Brimob platoons and a TNI detachment, from a few strength figures.
Every officer is marked ``synthetic`` and named after his unit and number ("Personel Sek Lengkiti
07"), never with an invented personal name.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from pamtps.domain import Dataset, Officer, Origin, Unit, UnitType, rank_by_name
from pamtps.domain.tps import Precision

# Relative size of the Polres HQ functions (a Polres of the "Polres" type, about 600 strong).
HQ_FUNCTIONS = {
    "Bag Ops": 25, "Bag Ren": 10, "Bag SDM": 14, "Bag Log": 12, "Si Propam": 10, "Si Keu": 6,
    "Si Humas": 6, "Si Tik": 6, "Si Was": 5, "Si Dokkes": 6, "SPKT": 14, "Sat Intelkam": 30,
    "Sat Reskrim": 45, "Sat Resnarkoba": 20, "Sat Binmas": 14, "Sat Samapta": 70,
    "Sat Lantas": 50, "Sat Pamobvit": 12, "Sat Tahti": 10,
}
# Rank mix of the rank and file (after the leaders), Polri and TNI.
POLRI_MIX = {"AKP": 1, "Iptu": 3, "Ipda": 5, "Aiptu": 12, "Aipda": 14, "Bripka": 20,
             "Brigpol": 15, "Briptu": 12, "Bripda": 13, "Abrip": 1, "Bharaka": 1, "Bharatu": 1,
             "Bharada": 2}
BRIMOB_MIX = {"Aipda": 4, "Bripka": 10, "Brigpol": 12, "Briptu": 16, "Bripda": 22,
              "Bharaka": 8, "Bharatu": 12, "Bharada": 16}
TNI_MIX = {"Serma": 2, "Serka": 3, "Sertu": 4, "Serda": 5, "Kopka": 3, "Koptu": 3, "Kopda": 4,
           "Praka": 5, "Pratu": 6, "Prada": 5}
POLSEK_SHARE = 0.45  # part of the Polres strength serving in its Polsek (a default)
PLATOON = 30  # a Brimob platoon (peleton) is about 30 officers
HQ_LEADERS = 2  # Kapolres and Wakapolres stay at HQ whatever the Polsek share


@dataclass(frozen=True)
class RosterFigures:
    """Strength figures: own Polres (HQ + Polsek), BKO Polri for TPS duty, Brimob, TNI, and the
    part of the own strength that serves in the Polsek."""

    polres: int
    bko_polri: int = 0
    brimob: int = 0
    tni: int = 0
    polsek_share: float = POLSEK_SHARE


OKU_FIGURES = RosterFigures(polres=627, bko_polri=59, brimob=80, tni=30)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.officers: list[Officer] = []
        self.nrps: set[str] = set()
        self.numbers: Counter[str] = Counter()

    def nrp(self, service: str, seniority: int) -> str:
        while True:
            if service == "polri":  # YYMM of birth + serial: seniors were born earlier
                year = 98 - seniority * 2 + self.random.randint(-3, 3)
                month, serial = self.random.randint(1, 12), self.random.randint(0, 9999)
                nrp = f"{year % 100:02d}{month:02d}{serial:04d}"
            else:
                nrp = f"3{self.random.randint(10**9, 10**10 - 1)}"
            if nrp not in self.nrps:
                self.nrps.add(nrp)
                return nrp

    def add(self, unit: Unit, label: str, rank: str, function: str, origin: Origin) -> None:
        grade = rank_by_name(rank)
        self.numbers[label] += 1
        number = self.numbers[label]
        self.officers.append(
            Officer(
                nrp=self.nrp(grade.service, grade.seniority),
                name=f"Personel {label} {number:02d}",
                rank=grade,
                unit_code=unit.code,
                origin=origin,
                function=function,
                base_lat=unit.base_lat,
                base_lng=unit.base_lng,
                synthetic=True,
            )
        )

    def fill(self, unit: Unit, label: str, count: int, mix: dict[str, int], function: str,
             origin: Origin) -> None:
        names, weights = list(mix), list(mix.values())
        ranks = self.random.choices(names, weights, k=count)
        order = {name: i for i, name in enumerate(names)}
        for rank in sorted(ranks, key=order.__getitem__):
            self.add(unit, label, rank, function, origin)


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` that add up exactly to ``total``."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def generate_roster(
    dataset: Dataset, figures: RosterFigures, *, seed: int = 2024
) -> tuple[list[Officer], list[Unit]]:
    """A synthetic roster for the dataset's (single) Polres; returns officers and BKO/TNI units."""
    polres = [u for u in dataset.units if u.type is UnitType.POLRES]
    if len(polres) != 1:
        raise ValueError(f"a roster is generated for one Polres; the dataset has {len(polres)}")
    hq = polres[0]
    polsek = [u for u in dataset.polsek if u.parent_code == hq.code]
    b = _Builder(seed)
    tps_in = {u.code: sum(1 for t in dataset.tps if t.kecamatan_code in u.kecamatan_codes)
              for u in polsek}
    # Each Polsek: a fixed core plus a share by the TPS in its sector.
    polsek_total = round(figures.polres * figures.polsek_share) if polsek else 0
    polsek_total = max(min(polsek_total, figures.polres - HQ_LEADERS), 0)
    sizes = _split(polsek_total, [6 + tps_in[u.code] / 10 for u in polsek])
    hq_total = figures.polres - sum(sizes)
    b.add(hq, "Polres", "AKBP", "Kapolres", Origin.POLRES)
    b.add(hq, "Polres", "Kompol", "Wakapolres", Origin.POLRES)
    functions = list(HQ_FUNCTIONS)
    for function, size in zip(functions, _split(hq_total - 2, list(HQ_FUNCTIONS.values()))):
        if size == 0:
            continue
        head = "Kompol" if function.startswith("Bag") else "AKP"
        b.add(hq, function, head, f"{function} (Kepala)", Origin.POLRES)
        b.fill(hq, function, size - 1, POLRI_MIX, function, Origin.POLRES)
    for unit, size in zip(polsek, sizes):
        label = "Sek " + unit.name.removeprefix("Polsek ")
        leaders = [("AKP" if tps_in[unit.code] > 150 else "Iptu", "Kapolsek"),
                   ("Ipda", "Wakapolsek")]
        for rank, function in leaders[:size]:
            b.add(unit, label, rank, function, Origin.POLSEK)
        b.fill(unit, label, max(size - 2, 0), POLRI_MIX, "Polsek", Origin.POLSEK)
    extra_units = _lent_units(hq, figures)
    for unit in extra_units:
        size = int(unit.note.split(":")[1])
        if unit.type is UnitType.BRIMOB:
            label = "Brimob " + unit.name.rsplit(" ", 2)[-2] + unit.name.rsplit(" ", 1)[-1]
            b.add(unit, label, "Ipda", "Brimob Danton", Origin.BKO_POLRI)
            b.fill(unit, label, size - 1, BRIMOB_MIX, "Brimob", Origin.BKO_POLRI)
        elif unit.type is UnitType.TNI:
            b.add(unit, "Kodim", "Letda", "TNI Danton", Origin.TNI)
            b.fill(unit, "Kodim", size - 1, TNI_MIX, "TNI", Origin.TNI)
        else:
            b.add(unit, "BKO Polda", "Ipda", "BKO Polda (Katim)", Origin.BKO_POLRI)
            b.fill(unit, "BKO Polda", size - 1, POLRI_MIX, "BKO Polda Dit Samapta",
                   Origin.BKO_POLRI)
    return b.officers, extra_units


def brimob_platoons(officers: int) -> list[int]:
    """Brimob officers formed into platoons of at most 30, as even as possible (54: 27 and 27)."""
    return _split(officers, [1] * -(-officers // PLATOON)) if officers > 0 else []


def _lent_units(hq: Unit, figures: RosterFigures) -> list[Unit]:
    """BKO and TNI units, stationed at the Polres headquarters (their size in ``note``)."""
    kab = hq.code.removeprefix("polres.")
    units = []

    def lent(code: str, name: str, kind: UnitType, size: int) -> None:
        units.append(Unit(code, name, kind, hq.code, (), hq.base_desa_code, hq.base_lat,
                          hq.base_lng, Precision.ESTIMATED, f"size:{size}"))

    if figures.bko_polri:
        lent(f"bko.{kab}", "BKO Polda (Dit Samapta dan fungsi lain)", UnitType.BKO_POLRI,
             figures.bko_polri)
    platoons = brimob_platoons(figures.brimob)
    for i, size in enumerate(platoons, start=1):
        lent(f"brimob.{kab}.ton{i}", f"Satbrimob Polda Ton {i}", UnitType.BRIMOB, size)
    if figures.tni:
        lent(f"tni.{kab}", "Kodim (BKO TNI)", UnitType.TNI, figures.tni)
    return units
