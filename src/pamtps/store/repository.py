"""Save and load domain objects: upserts that count their changes, and SQL summaries.

Every function takes an open session (``Database.session()``) and leaves the transaction to it.
Upserts never delete: a row missing from the input stays. Lists come back ordered by their key
(areas, TPS, units and objects by code, personnel by NRP).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import case, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from pamtps.domain import (
    Area,
    Dataset,
    GuardedObject,
    Officer,
    Origin,
    Tps,
    TpsKind,
    Unit,
    UnitType,
)
from pamtps.domain.areas import AreaLevel
from pamtps.store.convert import Row, from_row, to_row
from pamtps.store.rawan import load_rawan_list
from pamtps.store.tables.reference import (
    AreaRow,
    Base,
    DatasetLoadedRow,
    DesaIndicatorRow,
    GuardedObjectRow,
    PersonnelRow,
    TpsRow,
    UnitRow,
)

T = TypeVar("T")

log = logging.getLogger(__name__)

KEYS_PER_QUERY = 500
"""Keys looked up in one ``IN (...)``: well under the bound-parameter limit of old SQLite."""


@dataclass(frozen=True, slots=True)
class ChangeCounts:
    """How many rows an upsert added, changed, and found already as given."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: ChangeCounts) -> ChangeCounts:
        return ChangeCounts(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def _upsert(session: Session, model: type[Base], rows: Iterable[Row]) -> ChangeCounts:
    # Compare in memory and write in two executemany batches: one query per row would take
    # minutes for a province's 26,000 TPS.
    (key,) = inspect(model).primary_key
    given: dict[Any, Row] = {}
    for row in rows:
        if row[key.name] in given:
            raise ValueError(f"{model.__tablename__}: {row[key.name]!r} given twice")
        given[row[key.name]] = row
    keys = list(given)
    existing: dict[Any, Row] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        query = select(model.__table__).where(key.in_(keys[start : start + KEYS_PER_QUERY]))
        existing.update((old[key.name], dict(old)) for old in session.execute(query).mappings())
    added = [row for k, row in given.items() if k not in existing]
    updated = [row for k, row in given.items() if k in existing and existing[k] != row]
    if added:
        session.execute(insert(model), added)
    if updated:
        session.execute(update(model), updated)
    return ChangeCounts(len(added), len(updated), len(given) - len(added) - len(updated))


def _area_rows(areas: Iterable[Area], boundaries: Mapping[str, dict]) -> Iterable[Row]:
    for area in areas:
        shape = boundaries.get(area.code)
        geometry = None if shape is None else json.dumps(shape, separators=(",", ":"))
        yield to_row(area) | {"geometry": geometry}


def upsert_tps(session: Session, tps: Sequence[Tps]) -> ChangeCounts:
    """Add or update TPS by code; their desa must already be stored."""
    return _upsert(session, TpsRow, map(to_row, tps))


def upsert_personnel(
    session: Session, officers: Sequence[Officer], units: Sequence[Unit] = ()
) -> ChangeCounts:
    """Add or update units by code, then officers by NRP; counts both together."""
    counts = _upsert(session, UnitRow, map(to_row, units))
    return counts + _upsert(session, PersonnelRow, map(to_row, officers))


def upsert_indicators(
    session: Session, indicators: Mapping[str, Mapping[str, float | None]]
) -> ChangeCounts:
    """Add or update the numeric indicators of each desa (by kode_desa); NaN is stored as None."""
    rows = (
        {
            "kode_desa": kode_desa,
            "values": {k: None if v is None or math.isnan(v) else v for k, v in values.items()},
        }
        for kode_desa, values in indicators.items()
    )
    return _upsert(session, DesaIndicatorRow, rows)


def load_indicators(session: Session) -> dict[str, dict[str, float | None]]:
    """The stored indicators of every desa, by kode_desa (as ``upsert_indicators`` takes them)."""
    rows = session.execute(select(DesaIndicatorRow.kode_desa, DesaIndicatorRow.values)).all()
    return {kode_desa: values for kode_desa, values in rows}


def save_dataset(session: Session, dataset: Dataset) -> ChangeCounts:
    """Add or update everything in the dataset, and note that it was loaded; idempotent.

    Boundaries of areas missing from the dataset are skipped with a warning.
    """
    unknown = sorted(dataset.boundaries.keys() - dataset.area_by_code.keys())
    if unknown:
        # A geometry is stored on its area's row: with no such row there is nowhere to put it.
        log.warning("%s: skipped boundaries of areas not in it: %s", dataset.name, unknown)
    counts = _upsert(session, AreaRow, _area_rows(dataset.areas, dataset.boundaries))
    counts += upsert_tps(session, dataset.tps)
    counts += upsert_personnel(session, dataset.personnel, dataset.units)
    counts += _upsert(session, GuardedObjectRow, map(to_row, dataset.objects))
    session.merge(
        DatasetLoadedRow(
            name=dataset.name,
            loaded_at=datetime.now(UTC),
            regency_codes=list(dataset.regency_codes),
        )
    )
    return counts


def _load(session: Session, model: type[Base], cls: type[T]) -> list[T]:
    # Sorted here, not by ORDER BY: PostgreSQL collations order strings unlike Python.
    (key,) = inspect(model).primary_key
    rows = sorted(session.execute(select(model.__table__)).mappings(), key=lambda r: r[key.name])
    return [from_row(cls, row) for row in rows]


def load_dataset(session: Session) -> Dataset:
    """Everything stored, as one Dataset.

    Its name joins the names of the datasets saved (oldest first) with "+", and its regencies
    are theirs.
    """
    loaded = session.scalars(
        select(DatasetLoadedRow).order_by(DatasetLoadedRow.loaded_at, DatasetLoadedRow.name)
    ).all()
    regency_codes = dict.fromkeys(code for row in loaded for code in row.regency_codes)
    geometries = session.execute(select(AreaRow.code, AreaRow.geometry)).all()
    return Dataset(
        name="+".join(row.name for row in loaded),
        regency_codes=tuple(regency_codes),
        areas=_load(session, AreaRow, Area),
        tps=_load(session, TpsRow, Tps),
        units=_load(session, UnitRow, Unit),
        personnel=_load(session, PersonnelRow, Officer),
        objects=_load(session, GuardedObjectRow, GuardedObject),
        boundaries={code: json.loads(shape) for code, shape in geometries if shape is not None},
        bawaslu_rawan=load_rawan_list(session),
    )


def stored_regencies(session: Session) -> list[str]:
    """The kabupaten/kota codes the database holds: those of the datasets saved, and those of
    any TPS stored without one (imported by hand), sorted."""
    loaded = session.scalars(select(DatasetLoadedRow))
    codes = {code for row in loaded for code in row.regency_codes}
    desa = session.scalars(select(TpsRow.desa_code).distinct()).all()
    return sorted(codes | {code[:5] for code in desa})


def _personnel_group() -> Any:
    # The SQL twin of Officer.summary_group; a test checks that the two agree.
    local = [origin.value for origin in Origin if origin.is_local]
    return case(
        (PersonnelRow.origin.in_(local), "polres"),
        (PersonnelRow.origin == Origin.TNI.value, "tni"),
        (func.lower(PersonnelRow.function).like("brimob%"), "brimob"),
        else_="bko_polri",
    )


def summary(session: Session) -> dict[str, object]:
    """What ``Dataset.counts()`` gives for everything stored, counted by the database."""
    by_level = select(AreaRow.level, func.count()).group_by(AreaRow.level)
    levels = dict(session.execute(by_level).all())
    tps, tps_khusus = session.execute(
        select(func.count(), func.count(case((TpsRow.kind == TpsKind.KHUSUS.value, 1))))
    ).one()
    polsek = session.scalar(
        select(func.count()).select_from(UnitRow).where(UnitRow.type == UnitType.POLSEK.value)
    )
    group = _personnel_group()
    personnel = {"polres": 0, "bko_polri": 0, "brimob": 0, "tni": 0}
    personnel.update(session.execute(select(group, func.count()).group_by(group)).all())
    return {
        "kabupaten": levels.get(AreaLevel.KABUPATEN.value, 0),
        "kecamatan": levels.get(AreaLevel.KECAMATAN.value, 0),
        "desa": levels.get(AreaLevel.DESA.value, 0),
        "tps": tps,
        "tps_khusus": tps_khusus,
        "polsek": polsek,
        "personnel": personnel,
    }
