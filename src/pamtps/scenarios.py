"""Where a plan's scenario comes from, so that a plan file can be checked again later.

A scenario is the regency's data (from the database, or a bundled dataset with a generated
roster) plus an operation file, plus the changes since the first plan (officers fallen sick,
TPS reclassified, BKO units withdrawn). The CLI and the service both build scenarios here;
the planner itself never touches the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from pamtps.datasets import DATASETS
from pamtps.datasets.indicators import bundled_indicators, overlay
from pamtps.datasets.regency import load_regency
from pamtps.datasets.roster import OKU_FIGURES, RosterFigures, generate_roster
from pamtps.domain import Availability, Dataset, Unit, VulnerabilityClass
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Plan, Scenario
from pamtps.io.operation_file import operation_for, parse_operation
from pamtps.store import Database, repository

OKU_TPS = 1225


@dataclass
class Changes:
    """What changed after a plan was issued."""

    sick: list[str] = field(default_factory=list)  # NRPs now unavailable
    overrides: dict[str, str] = field(default_factory=dict)  # TPS code -> class
    withdrawn: list[str] = field(default_factory=list)  # unit codes withdrawn with their men

    def merged(self, other: Changes) -> Changes:
        return Changes(
            sorted(set(self.sick) | set(other.sick)),
            {**self.overrides, **other.overrides},
            sorted(set(self.withdrawn) | set(other.withdrawn)),
        )


@dataclass
class ScenarioSource:
    """How to rebuild the scenario: ``database`` or ``bundled`` (with the roster's figures: the
    strength, BKO Polri, Brimob, TNI and Polsek share the generated roster was made from)."""

    kind: str
    regency: str
    roster_seed: int = 2024
    figures: dict[str, Any] | None = None
    changes: Changes = field(default_factory=Changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioSource:
        return cls(**{**data, "changes": Changes(**data.get("changes", {}))})


def scaled_figures(dataset: Dataset, strength: int | None) -> RosterFigures:
    """Roster figures for a regency: its own reported ones where the dataset has them, else
    OKU's scaled by its TPS count (the own strength given, if it is)."""
    own = DATASETS[dataset.name].figures if dataset.name in DATASETS else None
    if own is not None and strength is None:
        return own
    ratio = len(dataset.tps) / OKU_TPS
    return RosterFigures(
        polres=strength or round(OKU_FIGURES.polres * ratio),
        bko_polri=round(OKU_FIGURES.bko_polri * ratio),
        brimob=OKU_FIGURES.brimob,
        tni=OKU_FIGURES.tni,
    )


def _belongs_to(unit: Unit, regency: str) -> bool:
    prefix = regency + "."
    return (unit.code.endswith(regency) or (unit.parent_code or "").endswith(regency)
            or any(k.startswith(prefix) for k in unit.kecamatan_codes)
            or (unit.base_desa_code or "").startswith(prefix))


def _regency_only(dataset: Dataset, regency: str) -> Dataset:
    """The part of a stored dataset that is the regency's. A unit no regency claims (a TNI unit
    declared in a roster has neither parent nor sector) stays with every regency."""
    prefix = regency + "."
    others = [code for code in dataset.regency_codes if code != regency]
    units = [u for u in dataset.units if _belongs_to(u, regency)
             or not any(_belongs_to(u, other) for other in others)]
    unit_codes = {u.code for u in units}
    return Dataset(
        dataset.name,
        (regency,),
        [a for a in dataset.areas if a.code == regency or a.code.startswith(prefix)
         or len(a.code) == 2],
        [t for t in dataset.tps if t.desa_code.startswith(prefix)],
        units,
        [o for o in dataset.personnel if o.unit_code in unit_codes],
        [o for o in dataset.objects if o.kecamatan_code.startswith(prefix)],
        {c: g for c, g in dataset.boundaries.items() if c == regency or c.startswith(prefix)},
        {c: listing for c, listing in dataset.bawaslu_rawan.items()
         if c.startswith(regency.replace(".", ""))},
        {c: v for c, v in dataset.indicators.items() if c.startswith(prefix)},
    )


def database_has(db: Database, regency: str) -> bool:
    """True when the database holds TPS and personnel of the regency."""
    with db.session() as session:
        counts: dict[str, Any] = repository.summary(session)
        if not counts["tps"] or not sum(counts["personnel"].values()):
            return False
        return regency in repository.stored_regencies(session)


def database_regency(db: Database) -> str | None:
    """The regency a database holds when it holds exactly one, else None."""
    with db.session() as session:
        held = repository.stored_regencies(session)
    return held[0] if len(held) == 1 else None


def operation_path(regency: str) -> Path:
    """The bundled operation file of the regency's Polres where one ships (16.01: oku-2024),
    else ``default.toml`` (whose regency the caller fills in)."""
    name = next((info.name for info in DATASETS.values()
                 if info.holds(regency) and info.regional is None), "default")
    return operation_for(name)


def load_source(source: ScenarioSource, db: Database | None) -> Dataset:
    if source.kind == "database":
        if db is None:
            raise ValueError("this plan was made from the database: open it to rebuild")
        with db.session() as session:
            dataset = repository.load_dataset(session)
            # Imported indicators replace the bundled ones, desa by desa and key by key.
            imported = repository.load_indicators(session)
        dataset.indicators = overlay(bundled_indicators([source.regency]), imported)
        return _regency_only(dataset, source.regency)
    dataset = load_regency(source.regency)
    figures = RosterFigures(**source.figures) if source.figures else scaled_figures(dataset, None)
    officers, units = generate_roster(dataset, figures, seed=source.roster_seed)
    return dataset.with_personnel(officers, units)


def apply_changes(dataset: Dataset, changes: Changes) -> Dataset:
    """The dataset with sick officers unavailable, overrides noted and withdrawn units gone."""
    sick = set(changes.sick)
    unknown = sick - {o.nrp for o in dataset.personnel}
    if unknown:
        raise ValueError(f"unknown NRP: {', '.join(sorted(unknown))}")
    withdrawn = set(changes.withdrawn)
    missing = withdrawn - {u.code for u in dataset.units}
    if missing:
        raise ValueError(f"unknown unit: {', '.join(sorted(missing))}")
    personnel = [
        replace(o, availability=Availability.SICK) if o.nrp in sick else o
        for o in dataset.personnel
        if o.unit_code not in withdrawn
    ]
    return Dataset(dataset.name, dataset.regency_codes, dataset.areas, dataset.tps,
                   [u for u in dataset.units if u.code not in withdrawn], personnel,
                   dataset.objects, dataset.boundaries, dataset.bawaslu_rawan,
                   dataset.indicators)


def build_scenario(
    source: ScenarioSource, operation: OperationConfig, db: Database | None
) -> Scenario:
    """Rebuild the scenario a plan was (or will be) made from."""
    dataset = apply_changes(load_source(source, db), source.changes)
    if source.changes.overrides:
        known = {t.code for t in dataset.tps}
        unknown = set(source.changes.overrides) - known
        if unknown:
            raise ValueError(f"unknown TPS code: {', '.join(sorted(unknown))}")
        classification = replace(operation.classification, overrides={
            **operation.classification.overrides,
            **{code: VulnerabilityClass(cls) for code, cls in source.changes.overrides.items()},
        })
        operation = replace(operation, classification=classification)
    return Scenario(dataset, operation)


PLAN_FORMAT = "pamtps-plan/1"
"""The plan file: the plan, its scenario's source and the operation it was made under, so that
`pamtps validate`, `explain` and `replan` rebuild the same scenario later."""


class PlanFileError(ValueError):
    """A plan file that cannot be read; the message names the file and the reason."""


def write_plan_file(
    path: Path, plan: Plan, source: ScenarioSource, config: OperationConfig
) -> None:
    document = {
        "format": PLAN_FORMAT,
        "source": source.to_dict(),
        "operation_config": config.to_dict(),
        "plan": plan.to_dict(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")


def read_plan_file(path: Path) -> tuple[Plan, ScenarioSource, OperationConfig]:
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlanFileError(f"{path}: not a PamTPS plan file ({error})") from None
    if not isinstance(document, dict) or document.get("format") != PLAN_FORMAT:
        raise PlanFileError(f"{path}: not a PamTPS plan file (format {PLAN_FORMAT} expected)")
    try:
        return (
            Plan.from_dict(document["plan"]),
            ScenarioSource.from_dict(document["source"]),
            parse_operation(document["operation_config"], str(path)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFileError(f"{path}: the plan file is damaged: {error}") from None
