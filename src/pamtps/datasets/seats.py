"""The seats (ibukota) of Sumatera Selatan's 17 kabupaten/kota, where a Polres stands.

A Polres headquarters and the KPU kabupaten office stand in the regency seat. The table names the
seat and the kecamatan it lies in (for a kota: the kecamatan of the city hall); which desa of that
kecamatan is not in the data, so the desa is estimated (the kecamatan's busiest).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pamtps.datasets.files import read_csv

SEATS_FILE = ("sumsel-2024", "ibukota_sumsel_kabupaten.csv")


@dataclass(frozen=True, slots=True)
class Seat:
    """The seat of one kabupaten/kota: its town and the kecamatan code it lies in."""

    regency: str
    town: str
    kecamatan_code: str
    kecamatan_name: str


@cache
def sumsel_seats() -> dict[str, Seat]:
    """The 17 seats of Sumatera Selatan, by kabupaten/kota code."""
    return {
        row["kode_kab"]: Seat(row["kode_kab"], row["ibukota"], row["kode_kec"], row["nama_kec"])
        for row in read_csv(*SEATS_FILE)
    }
