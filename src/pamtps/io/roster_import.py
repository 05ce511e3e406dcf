"""Import a personnel roster (the template of roster_template.py) checked against a reference.

Columns (header case and spaces do not matter):

* ``nrp`` - registration number: 8 digits for Polri; 7 to 18 digits for TNI, whose NRP
  format differs between officers and enlisted and over the years (required);
* ``nama`` - name (required);
* ``pangkat`` - rank abbreviation (Bripka, AKP, Serda ...) or its full title (required);
* ``satuan`` - unit code or unit name known in the reference, or a new BKO/TNI unit (required);
* ``asal`` - polres, polsek, bko_polri or tni: needed to declare a new unit, else checked;
* ``jenis_satuan`` - type of a new unit: brimob, samapta or bko_polri (asal bko_polri), tni;
* ``fungsi`` - function (Sabhara, Reskrim, Brimob ...); blank: the unit's type;
* ``status`` - siap/available, sakit/sick, cuti/leave, dik/training, tugas_lain/other_assignment;
  blank: siap;
* ``dilarang_desa`` - desa where he must not serve (conflict of interest), separated by ';';
* ``lat``, ``lng`` - where he starts from; blank: his unit's base.
"""

from __future__ import annotations

import re
from pathlib import Path

from pamtps.domain import (
    Availability,
    Dataset,
    Officer,
    Origin,
    Precision,
    Rank,
    Unit,
    UnitType,
    rank_by_name,
)
from pamtps.domain.personnel import POLRI_RANKS, TNI_RANKS
from pamtps.io.cells import RowCheck, choice_key
from pamtps.io.problems import did_you_mean
from pamtps.io.tables import read_table

REQUIRED = ("nrp", "nama", "pangkat", "satuan")
OPTIONAL = ("asal", "jenis_satuan", "fungsi", "status", "dilarang_desa", "lat", "lng")
ALIASES = {"base_lat": "lat", "base_lng": "lng", "nama_lengkap": "nama", "unit": "satuan"}

STATUSES: dict[str, Availability] = {
    "siap": Availability.AVAILABLE,
    "sakit": Availability.SICK,
    "cuti": Availability.LEAVE,
    "dik": Availability.TRAINING,
    "tugas_lain": Availability.OTHER_ASSIGNMENT,
} | {status.value: status for status in Availability}
ORIGINS = {origin.value: origin for origin in Origin}
NEW_UNIT_TYPES = {  # which unit types a roster may declare, for each asal
    Origin.BKO_POLRI: (UnitType.BRIMOB, UnitType.SAMAPTA, UnitType.BKO_POLRI),
    Origin.TNI: (UnitType.TNI,),
}
UNIT_TYPES = {kind.value: kind for kinds in NEW_UNIT_TYPES.values() for kind in kinds}
ORIGIN_OF_TYPE = {
    UnitType.POLRES: Origin.POLRES,
    UnitType.POLSEK: Origin.POLSEK,
    UnitType.TNI: Origin.TNI,
}  # every other unit type is lent by the Polda: BKO_POLRI
SERVICE_NAMES = {"polri": "Polri", "tni": "TNI"}
EXAMPLE_NAME = "Contoh Personel (hapus baris ini)"
"""The name on the template's example row, refused so that it never becomes a real officer."""
POLRI_NRP_DIGITS = 8
TNI_NRP_DIGITS = (7, 18)
RANK_NAMES = [rank.name for rank in POLRI_RANKS + TNI_RANKS]
_RANK_BY_TITLE = {rank.title.casefold(): rank for rank in POLRI_RANKS + TNI_RANKS}


def read_roster(path: str | Path, reference: Dataset) -> tuple[list[Officer], list[Unit]]:
    """The officers of the roster, and the BKO/TNI units it declares that the reference lacks.

    Raises ImportFailed listing every problem in the file.
    """
    table = read_table(path, REQUIRED, OPTIONAL, ALIASES)
    reader = _RosterReader(reference)
    found = [reader.read(RowCheck(row, table.problems)) for row in table.rows]
    table.problems.raise_if_any()
    return [officer for officer in found if officer is not None], list(reader.declared.values())


def origin_of(unit: Unit) -> Origin:
    return ORIGIN_OF_TYPE.get(unit.type, Origin.BKO_POLRI)


def unit_code_for(name: str) -> str:
    """The code given to a unit declared in a roster: its name in lower case with hyphens."""
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


class _RosterReader:
    def __init__(self, reference: Dataset) -> None:
        self.reference = reference
        self.units = {unit.code: unit for unit in reference.units} | {
            choice_key(unit.name): unit for unit in reference.units
        }
        self.declared: dict[str, Unit] = {}
        self.first_row: dict[str, int] = {}

    def read(self, check: RowCheck) -> Officer | None:
        name = check.required("nama")
        rank = self._rank(check)
        unit = self._unit(check)
        origin = origin_of(unit) if unit else None
        if rank and unit and origin and rank.service != _service(origin):
            check.fail("pangkat", f"{SERVICE_NAMES[rank.service]} rank on a "
                       f"{SERVICE_NAMES[_service(origin)]} unit {unit.name!r}")
        if name == EXAMPLE_NAME:
            check.fail("nama", "this is the template's example row: delete it")
        nrp = self._nrp(check, _service(origin) if origin else rank.service if rank else None)
        availability = check.choice("status", STATUSES) or Availability.AVAILABLE
        barred = [check.desa("dilarang_desa", self.reference, text)
                  for text in re.split(r"[;,\s]+", check.text("dilarang_desa")) if text]
        base = check.point()
        if check.failures or not (name and rank and unit and origin and nrp):
            return None
        lat, lng = base if base else (unit.base_lat, unit.base_lng)
        return Officer(nrp, name, rank, unit.code, origin, check.text("fungsi") or unit.type.value,
                       lat, lng, availability, frozenset(code for code in barred if code))

    def _rank(self, check: RowCheck) -> Rank | None:
        text = check.required("pangkat")
        if text is None:
            return None
        try:
            return rank_by_name(text)
        except KeyError:
            pass
        rank = _RANK_BY_TITLE.get(" ".join(text.split()).casefold())
        if rank is None:
            check.fail("pangkat", f"unknown rank{did_you_mean(text, RANK_NAMES)}")
        return rank

    def _nrp(self, check: RowCheck, service: str | None) -> str | None:
        nrp = check.required("nrp")
        if nrp is None:
            return None
        low, high = (POLRI_NRP_DIGITS,) * 2 if service == "polri" else TNI_NRP_DIGITS
        if not nrp.isdigit() or not low <= len(nrp) <= high:
            digits = f"{low}" if low == high else f"{low} to {high}"
            dropped_zero = low == high and nrp.isdigit() and len(nrp) == low - 1
            hint = " (a leading 0 dropped by the spreadsheet?)" if dropped_zero else ""
            who = f"a {SERVICE_NAMES[service]}" if service else "an"
            check.fail("nrp", f"{who} NRP has {digits} digits{hint}")
            return None
        if nrp in self.first_row:
            check.fail("nrp", f"duplicate NRP: already on row {self.first_row[nrp]}")
            return None
        self.first_row[nrp] = check.row.number
        return nrp

    def _unit(self, check: RowCheck) -> Unit | None:
        text = check.required("satuan")
        asal = check.choice("asal", ORIGINS)
        kind = check.choice("jenis_satuan", UNIT_TYPES)
        if text is None:
            return None
        unit = self.units.get(text) or self.units.get(choice_key(text)) or self.declared.get(
            choice_key(text)
        )
        if unit is None:
            return self._declare(check, text, asal, kind)
        if asal is not None and asal is not origin_of(unit):
            check.fail("asal", f"unit {unit.name!r} is {origin_of(unit).value}, not {asal.value}")
        if kind is not None and kind is not unit.type:
            check.fail("jenis_satuan", f"unit {unit.name!r} is {unit.type.value}, not {kind.value}")
        return unit

    def _declare(
        self, check: RowCheck, name: str, asal: Origin | None, kind: UnitType | None
    ) -> Unit | None:
        if asal is None or asal not in NEW_UNIT_TYPES:
            names = [unit.name for unit in self.reference.units]
            check.fail("satuan", f"unknown unit: not a unit code or name in {self.reference.name}"
                       f"{did_you_mean(name, names)} (a new unit needs asal bko_polri or tni)")
            return None
        kind = kind or NEW_UNIT_TYPES[asal][-1]
        if kind not in NEW_UNIT_TYPES[asal]:
            allowed = ", ".join(t.value for t in NEW_UNIT_TYPES[asal])
            check.fail("jenis_satuan", f"a unit with asal {asal.value} is one of: {allowed}")
            return None
        polres = next((u for u in self.reference.units if u.type is UnitType.POLRES), None)
        lat, lng = _default_base(self.reference)
        unit = Unit(
            unit_code_for(name), name, kind,
            polres.code if polres and asal is Origin.BKO_POLRI else None, (), None,
            lat, lng, Precision.ESTIMATED,
            note=f"declared in {check.problems.file} row {check.row.number}",
        )
        self.declared[choice_key(name)] = unit
        return unit


def _service(origin: Origin) -> str:
    return "tni" if origin is Origin.TNI else "polri"


def _default_base(reference: Dataset) -> tuple[float, float]:
    """Where a declared unit is assumed to be: the Polres HQ (where the apel is held)."""
    for unit in reference.units:
        if unit.type is UnitType.POLRES:
            return unit.base_lat, unit.base_lng
    points = [(a.lat, a.lng) for a in reference.areas if a.lat is not None and a.lng is not None]
    if not points:
        return 0.0, 0.0
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
