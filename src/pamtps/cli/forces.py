"""The operation settings a Kabag Ops gives on the command line, and their checks against the data.

`pamtps plan --bko 120 --brimob 54 --tni 30 --tps-share 2/3 --prescreen-rawan 20` overrides the
operation file's settings of the same names. On bundled data the synthetic roster is generated
from exactly those numbers; on the database the imported roster must hold them. Every refusal
names where the setting came from (the flag, or the file and its key) and why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import typer

from pamtps.datasets import dataset_for, load_dataset
from pamtps.datasets.roster import RosterFigures
from pamtps.domain.forces import roster_forces
from pamtps.domain.operation import OperationConfig, parse_share
from pamtps.domain.plan import Scenario
from pamtps.io.operation_file import data_problems, share_problem

FLAGS = {  # operation key -> its flag
    "tps_share": "--tps-share",
    "classification.prescreen_rawan": "--prescreen-rawan",
    "forces.bko_polri": "--bko",
    "forces.brimob": "--brimob",
    "forces.tni": "--tni",
    "forces.polsek_share": "--polsek-share",
}


def check_share(value: str | None) -> str | None:
    """A Typer callback: a share flag must read as a share above 0 and at most 1."""
    if value is not None:
        problem = share_problem(value)
        if problem:
            raise typer.BadParameter(problem)
    return value


def check_polsek_share(value: str | None) -> str | None:
    """A Typer callback: the Polsek share may be 0 (every own officer at HQ)."""
    if value is not None:
        problem = share_problem(value, zero_allowed=True)
        if problem:
            raise typer.BadParameter(problem)
    return value


@dataclass(frozen=True)
class Settings:
    """The settings given as flags (None: as the operation file says)."""

    tps_share: str | None = None
    prescreen_rawan: int | None = None
    bko_polri: int | None = None
    brimob: int | None = None
    tni: int | None = None
    polsek_share: str | None = None

    def given(self) -> set[str]:
        """The operation keys set by a flag."""
        values = {
            "tps_share": self.tps_share,
            "classification.prescreen_rawan": self.prescreen_rawan,
            "forces.bko_polri": self.bko_polri,
            "forces.brimob": self.brimob,
            "forces.tni": self.tni,
            "forces.polsek_share": self.polsek_share,
        }
        return {key for key, value in values.items() if value is not None}

    def applied(self, config: OperationConfig) -> OperationConfig:
        """The operation with these settings in place of the file's."""
        forces: dict[str, Any] = {
            "bko_polri": self.bko_polri,
            "brimob": self.brimob,
            "tni": self.tni,
            "polsek_share": self.polsek_share,
        }
        changes: dict[str, Any] = {
            "forces": replace(config.forces, **{k: v for k, v in forces.items() if v is not None})
        }
        if self.tps_share is not None:
            changes["tps_share"] = self.tps_share
        if self.prescreen_rawan is not None:
            changes["classification"] = replace(
                config.classification, prescreen_rawan=self.prescreen_rawan
            )
        return config.replace(**changes)


def where(key: str, settings: Settings, path: Path) -> str:
    """Where a setting came from: its flag, or the operation file and the key."""
    return FLAGS[key] if key in settings.given() else f"{path}: {key}"


def roster_figures(config: OperationConfig, strength: int | None) -> RosterFigures | None:
    """The figures of the roster to generate for bundled data: the regency's own or scaled
    ones, with every force the operation sets; None when nothing is set (the registry's)."""
    from pamtps.scenarios import scaled_figures

    forces = config.forces
    if strength is None and all(
        value is None for value in (forces.bko_polri, forces.brimob, forces.tni,
                                    forces.polsek_share)
    ):
        return None
    dataset = load_dataset(dataset_for(config.regency), regency=config.regency)
    figures = scaled_figures(dataset, strength)
    set_here: dict[str, Any] = {
        "bko_polri": forces.bko_polri,
        "brimob": forces.brimob,
        "tni": forces.tni,
        "polsek_share": None if forces.polsek_share is None
        else float(parse_share(forces.polsek_share)),
    }
    return replace(figures, **{k: v for k, v in set_here.items() if v is not None})


def problems(scenario: Scenario, kind: str, settings: Settings, path: Path) -> list[str]:
    """Every setting the scenario's data cannot honour, one line each."""
    config = scenario.operation
    lines = [f"{path}: {key}: {why}" for key, why in data_problems(config, scenario.dataset)]
    if kind != "database":
        return lines
    roster = roster_forces(scenario)
    forces = config.forces
    if forces.bko_polri is not None and forces.bko_polri > roster["bko_polri"]:
        lines.append(
            f"{where('forces.bko_polri', settings, path)}: {forces.bko_polri} BKO Polri set "
            f"for TPS duty, but the imported roster has only {roster['bko_polri']}: import the "
            "BKO roster or set a lower number"
        )
    for key, name in (("brimob", "Brimob"), ("tni", "TNI")):
        wanted = getattr(forces, key)
        if wanted is not None and wanted != roster[key]:
            lines.append(
                f"{where('forces.' + key, settings, path)}: {wanted} {name} set, but the "
                f"imported roster has {roster[key]}: on the database the {name} officers are "
                "those of the roster (change them with `pamtps import roster`)"
            )
    if forces.polsek_share is not None:
        lines.append(
            f"{where('forces.polsek_share', settings, path)}: the Polsek share shapes a "
            "generated roster only; this plan uses the imported roster"
        )
    return lines
