"""Dataset ``oku-2024``: Kabupaten Ogan Komering Ulu (16.01) in Pemilu 2024, with Polres OKU.

The TPS list is KPU's (1,224 regular and 1 special TPS); 84 TPS have their real DPT from Sirekap,
the others share what is left of their kecamatan's voter total (KPU OKU's DPSHP, May 2023).
Polres OKU's sectors come from its own statements; where its Polsek stand is not public, so each
base is estimated in the busiest desa of the sector's first kecamatan.
"""

from __future__ import annotations

from collections import defaultdict

from pamtps.datasets.build import (
    busiest_desa,
    load_areas,
    load_boundaries,
    make_tps,
    spread_voters,
    unit_at,
)
from pamtps.datasets.files import read_csv
from pamtps.domain import (
    Area,
    Dataset,
    ElectionType,
    GuardedObject,
    GuardedObjectKind,
    Precision,
    Unit,
    UnitType,
)
from pamtps.domain.tps import split_tps_code, tps_code

OKU = "oku-2024"
OKU_CODE = "16.01"
POLRES_CODE = "polres.16.01"


def load_oku() -> Dataset:
    regencies = {OKU_CODE}
    areas = load_areas(regencies)
    by_code = {area.code: area for area in areas}
    boundaries = {c: g for c, g in load_boundaries(regencies).items() if c in by_code}
    numbers: dict[str, list[int]] = defaultdict(list)
    known: dict[str, int] = {}
    for row in read_csv(OKU, "tps_pemilu2024_oku.csv"):
        desa_code, number = split_tps_code(row["kode_tps"])
        numbers[desa_code].append(number)
        if row["dpt"].strip():
            known[row["kode_tps"]] = int(row["dpt"])
    voters = {}
    codes_by_kec: dict[str, list[str]] = defaultdict(list)
    for desa_code, desa_numbers in numbers.items():
        for number in desa_numbers:
            codes_by_kec[desa_code.rsplit(".", 1)[0]].append(tps_code(desa_code, number))
    cap = ElectionType.PEMILU.voter_cap
    for row in read_csv(OKU, "oku_pemilih_kecamatan_2023.csv"):
        total = int(row["dpshp_2023"])
        voters.update(spread_voters(total, codes_by_kec[row["kode_kec"]], known, cap))
    units = polres_oku_units(by_code, numbers)
    return Dataset(
        name=OKU,
        regency_codes=(OKU_CODE,),
        areas=areas,
        tps=make_tps(numbers, by_code, boundaries, voters),
        units=units,
        objects=oku_objects(by_code, numbers),
        boundaries=boundaries,
    )


def polres_oku_units(by_code: dict[str, Area], numbers: dict[str, list[int]]) -> list[Unit]:
    units = []
    for row in read_csv(OKU, "polres_oku_polsek.csv"):
        if row["unit_type"] == "polres":
            base = by_code[row["base_kode_desa"]]
            units.append(unit_at(POLRES_CODE, row["unit"], UnitType.POLRES, None, (), base,
                                 row["source_note"], Precision.REPORTED))
            continue
        kecamatan = tuple(row["kode_kec_covered"].split(";"))
        base = by_code[busiest_desa(kecamatan[0], numbers)]
        note = f"{row['source_note']}; base estimated: busiest desa of {by_code[kecamatan[0]].name}"
        units.append(unit_at(f"polsek.{kecamatan[0]}", row["unit"], UnitType.POLSEK, POLRES_CODE,
                             kecamatan, base, note))
    return units


def oku_objects(by_code: dict[str, Area], numbers: dict[str, list[int]]) -> list[GuardedObject]:
    """KPU OKU's office and warehouse in Baturaja, and one PPK secretariat per kecamatan.

    Their addresses are not in the data: each stands at its kecamatan's busiest desa (estimated).
    Guard sizes are the 2019 practice (KPU kabupaten 30, PPK 15); the operation file decides.
    """
    baturaja = by_code[busiest_desa("16.01.14", numbers)]  # Baturaja Timur: the regency town
    objects = [
        GuardedObject("kpu.16.01", "Kantor KPU Kabupaten OKU", GuardedObjectKind.KPU_KABUPATEN,
                      "16.01.14", baturaja.lat or 0.0, baturaja.lng or 0.0, 30),
        GuardedObject("gudang.16.01", "Gudang Logistik KPU OKU", GuardedObjectKind.GUDANG_LOGISTIK,
                      "16.01.14", baturaja.lat or 0.0, baturaja.lng or 0.0, 10),
    ]
    for kec in sorted(code for code in by_code if code.count(".") == 2):
        desa = by_code[busiest_desa(kec, numbers)]
        name = f"Sekretariat PPK {by_code[kec].name}"
        objects.append(GuardedObject(f"ppk.{kec}", name, GuardedObjectKind.PPK, kec,
                                     desa.lat or 0.0, desa.lng or 0.0, 15))
    return objects
