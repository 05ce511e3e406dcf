"""The operation file: the rules a Polres plans by, in TOML, validated with clear errors.

Every ratio here is reported practice, not law (see docs/DOMAIN), so none is hard-coded: the
file names each field. ``load_operation`` reads a file; ``OperationConfig.model_validate``
checks a dict (used by tests).
"""

from __future__ import annotations

import tomllib
from datetime import date, time
from fractions import Fraction
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pamtps.domain import ElectionType, VulnerabilityClass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternRule(_Strict):
    """The security pattern of one vulnerability class."""

    officers_per_post: int = Field(2, ge=1, le=20)
    max_tps_per_post: int = Field(1, ge=1, le=50)
    tni_per_post: int = Field(0, ge=0, le=10)
    linmas_per_tps: int = Field(2, ge=0, le=10)


class GuardRule(_Strict):
    """A guarded object (by code in the dataset, or every object of a kind) and its guard."""

    object: str  # an object code ("kpu.16.01") or a kind ("ppk")
    guard_size: int = Field(ge=0, le=500)
    from_reserve: bool = False  # True: a reserve unit stationed at the object guards it


class ReservePolicy(_Strict):
    unit_types: list[Literal["brimob", "samapta", "tni", "bko_polri"]] = ["brimob", "tni"]
    keep_units_whole: bool = True
    polres_reserve: int = Field(0, ge=0)  # own officers held at Mapolres ("power on hand")
    floor: int = Field(0, ge=0)  # officers a base must keep; dispatch may not go below
    stations: dict[str, str] = {}  # unit code -> station (unit code of a base or object code)


class TravelConfig(_Strict):
    detour_factor: float = Field(1.4, ge=1.0, le=5.0)
    speed_kmh: dict[Literal["urban", "rural", "remote"], float] = {
        "urban": 30.0,
        "rural": 25.0,
        "remote": 12.0,
    }
    urban_density: float = Field(5.0, gt=0)  # TPS per km2 of desa above which it is urban
    remote_km: float = Field(15.0, gt=0)  # desa farther than this from the sector base


class ClassificationConfig(_Strict):
    """How TPS are classed: Bawaslu indicators, the geographic pre-screen, Polri overrides."""

    rawan_indicators: list[str] = []  # any of these makes a TPS rawan
    sangat_rawan_indicators: list[str] = []
    min_indicators_for_rawan: int = Field(0, ge=0)  # 0: off; n: n or more indicators -> rawan
    khusus_is_class: bool = True  # TPS khusus (9xx) get the class khusus
    prescreen_rawan: int = Field(0, ge=0)  # the N worst by the geographic pre-screen -> rawan
    overrides: dict[str, VulnerabilityClass] = {}  # TPS code -> class decided by Polri


class Schedule(_Strict):
    """Times on voting day (local time) used by orders and the field service."""

    apel: time = time(5, 0)
    at_tps_by: time = time(6, 30)
    voting_opens: time = time(7, 0)
    voting_closes: time = time(13, 0)


class SolverConfig(_Strict):
    time_limit_s: float = Field(60.0, gt=0, le=3600)
    seed: int = 2024


class OperationConfig(_Strict):
    """A whole operation file."""

    name: str
    dataset: str = "oku-2024"
    regency: str  # kabupaten/kota code, e.g. "16.01"
    election_type: ElectionType
    voting_day: date
    mode: Literal["allocation", "requirement"] = "allocation"
    tps_share: str = "2/3"  # share of the Polres' own strength on TPS duty
    padal_per_kecamatan: int = Field(1, ge=0, le=5)
    pattern: dict[VulnerabilityClass, PatternRule]
    guards: list[GuardRule] = []
    reserve: ReservePolicy = ReservePolicy()
    travel: TravelConfig = TravelConfig()
    classification: ClassificationConfig = ClassificationConfig()
    schedule: Schedule = Schedule()
    solver: SolverConfig = SolverConfig()

    @field_validator("tps_share")
    @classmethod
    def _share_is_a_fraction(cls, value: str) -> str:
        try:
            share = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a fraction such as 2/3: {value!r}") from None
        if not 0 < share <= 1:
            raise ValueError(f"must be above 0 and at most 1: {value}")
        return value

    @model_validator(mode="after")
    def _every_class_has_a_pattern(self) -> OperationConfig:
        missing = [c.value for c in VulnerabilityClass if c not in self.pattern]
        if missing:
            raise ValueError(f"pattern is missing for class(es): {', '.join(missing)}")
        return self

    @property
    def share(self) -> Fraction:
        return Fraction(self.tps_share)


class OperationFileError(ValueError):
    """An operation file that cannot be used; the message names the file, field and reason."""


def load_operation(path: str | Path) -> OperationConfig:
    """Read and validate an operation file; raises OperationFileError listing every problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OperationFileError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise OperationFileError(f"{path}: not valid TOML: {error}") from None
    try:
        return OperationConfig.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{path}: {'.'.join(str(p) for p in problem['loc']) or '(file)'}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise OperationFileError("\n".join(lines)) from None


def bundled_operation(name: str = "oku-2024") -> Path:
    """The path of an operation file shipped with PamTPS."""
    return Path(__file__).parent / "operations" / f"{name}.toml"
