"""Import a TPS list (KPU codes, DPT and, where surveyed, coordinates) checked against a reference.

Columns (header case and spaces do not matter; other columns are ignored and named as ignored, so
the published file ``tps_pemilu2024_oku.csv`` reads as is, except a column of classes such as
``kelas`` or ``rawan``, which is refused: the Bawaslu rawan list has its own import):

* ``kode_tps`` - 13-digit KPU code = KPU desa code + 3-digit TPS number (required);
* ``no_tps`` - the TPS number, 1-999; 900 and above is a TPS khusus (required);
* ``kode_desa`` - the desa, dotted (16.01.07.2001) or KPU digits (1601072001) (required);
* ``jenis_tps`` - reguler or khusus (optional, checked against no_tps);
* ``dpt`` - voters on the final list (optional: blank keeps the reference's estimate);
* ``lat``, ``lng`` - where the TPS stands, WGS84 (optional: blank keeps the reference's location).

``desa_lat``/``desa_lng`` of the published file are desa points, not TPS locations, and are
deliberately not read as ``lat``/``lng``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pamtps.domain import Dataset, ElectionType, Precision, Tps, TpsKind
from pamtps.domain.tps import TPS_KHUSUS_FROM, tps_code
from pamtps.io.cells import RowCheck
from pamtps.io.geo import Geography
from pamtps.io.tables import read_table

REQUIRED = ("kode_tps", "no_tps", "kode_desa")
OPTIONAL = ("jenis_tps", "dpt", "lat", "lng")
COORDINATE_ALIASES = {"latitude": "lat", "longitude": "lng", "lon": "lng", "long": "lng"}
_KINDS = {kind.value: kind for kind in TpsKind}
# Columns that carry a class: a TPS list does not, and ignoring them would drop the user's intent.
CLASS_COLUMNS = frozenset({
    "kelas", "kelas_tps", "kategori", "klasifikasi", "kerawanan", "tingkat_kerawanan",
    "vulnerability", "class", "alasan", "indikator", "indikator_bawaslu",
})


class TpsList(list[Tps]):
    """The TPS read, in file order, and ``ignored``: the file's columns that were not read."""

    ignored: tuple[str, ...] = ()


def is_class_column(name: str) -> bool:
    """True for a column that gives TPS classes (``kelas``, ``rawan``, ``status_rawan``...)."""
    return name in CLASS_COLUMNS or "rawan" in name


def read_tps(
    path: str | Path,
    reference: Dataset,
    election: ElectionType,
    desa_boundaries: dict[str, dict] | None = None,
) -> TpsList:
    """The TPS of the file, in file order, checked against ``reference``.

    ``desa_boundaries`` (GeoJSON geometries by desa code) defaults to ``reference.boundaries``.
    A TPS the reference already has keeps its indicators and class; a blank ``dpt`` or location
    keeps the reference's figure and precision. Given ``dpt`` or ``lat``/``lng`` are SURVEYED.
    Columns not read are named in ``ignored``. Raises ImportFailed listing every problem in the
    file, among them a column of classes (refused: the rawan list is ``pamtps import rawan``).
    """
    table = read_table(path, REQUIRED, OPTIONAL, COORDINATE_ALIASES)
    for name in table.header:
        if is_class_column(name):
            table.problems.add(None, name, None, "a TPS list does not set classes: import the "
                               "Bawaslu rawan list with `pamtps import rawan FILE` (columns "
                               "kode_tps, kelas, alasan) and remove this column")
    reader = _TpsReader(reference, election, Geography(reference, desa_boundaries))
    found = [reader.read(RowCheck(row, table.problems)) for row in table.rows]
    table.problems.raise_if_any()
    result = TpsList(tps for tps in found if tps is not None)
    result.ignored = tuple(name for name in table.header
                           if name and name not in (*REQUIRED, *OPTIONAL))
    return result


class _TpsReader:
    def __init__(self, reference: Dataset, election: ElectionType, geography: Geography) -> None:
        self.reference = reference
        self.election = election
        self.geography = geography
        self.known = {tps.code: tps for tps in reference.tps}
        self.first_row: dict[str, int] = {}

    def read(self, check: RowCheck) -> Tps | None:
        code = self._code(check)
        desa = check.desa("kode_desa", self.reference) if check.required("kode_desa") else None
        number = self._number(check)
        kind = check.choice("jenis_tps", _KINDS)
        if number is not None and kind is not None and (kind is TpsKind.KHUSUS) != (
            number >= TPS_KHUSUS_FROM
        ):
            check.fail("jenis_tps", f"no_tps {number} makes a TPS "
                       f"{'khusus' if number >= TPS_KHUSUS_FROM else 'reguler'} "
                       f"(khusus from {TPS_KHUSUS_FROM} up)")
        if code and desa and number is not None and tps_code(desa, number) != code:
            check.fail("kode_tps", f"does not match kode_desa {desa} + no_tps {number:03d} "
                       f"(expected {tps_code(desa, number)})")
        voters = self._voters(check)
        point = check.point()
        if point is not None and desa is not None:
            outside = self.geography.outside(desa, *point)
            if outside:
                check.fail("lat,lng", outside, f"{check.text('lat')},{check.text('lng')}")
        if check.failures or code is None or desa is None or number is None:
            return None
        return self._tps(check, code, desa, number, voters, point)

    def _code(self, check: RowCheck) -> str | None:
        code = check.tps_code()
        if code is not None:
            check.first("kode_tps", code, self.first_row)  # a repeat is noted; checks go on
        return code

    @staticmethod
    def _number(check: RowCheck) -> int | None:
        number = check.integer("no_tps") if check.required("no_tps") else None
        if number is not None and not 1 <= number <= 999:
            check.fail("no_tps", "no_tps must be from 1 to 999")
            return None
        return number

    def _voters(self, check: RowCheck) -> int | None:
        voters = check.integer("dpt")
        cap, election = self.election.voter_cap, self.election.value.capitalize()
        if voters is not None and voters < 0:
            check.fail("dpt", "dpt cannot be negative")
        elif voters is not None and voters > cap:
            check.fail("dpt", f"dpt over the {election} cap of {cap} voters per TPS")
        return voters

    def _tps(
        self,
        check: RowCheck,
        code: str,
        desa: str,
        number: int,
        voters: int | None,
        point: tuple[float, float] | None,
    ) -> Tps | None:
        kind = TpsKind.KHUSUS if number >= TPS_KHUSUS_FROM else TpsKind.REGULER
        known = self.known.get(code)
        if known is None:
            area = self.reference.area_by_code[desa]
            if point is None and (area.lat is None or area.lng is None):
                check.fail("lat,lng", f"desa {desa} has no known point: give lat and lng", "")
                return None
            known = Tps(code, number, desa, kind, None, Precision.ESTIMATED,
                        area.lat or 0.0, area.lng or 0.0, Precision.ESTIMATED)
        tps = replace(known, kind=kind)
        if voters is not None:
            tps = replace(tps, voters=voters, voters_precision=Precision.SURVEYED)
        if point is not None:
            tps = replace(tps, lat=point[0], lng=point[1], location_precision=Precision.SURVEYED)
        return tps
