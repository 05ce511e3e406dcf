"""The operation: which election, when, and the rules a Polres plans it by.

``OperationConfig`` is the whole operation file (``pamtps.io.operation_file`` reads and validates
it). Every ratio here is reported practice, not law (see docs/DOMAIN), so none is hard-coded: the
file names each field. A field's allowed range is in its metadata (``ge``, ``gt``, ``le``), which
the file's validation enforces; the types themselves are plain frozen dataclasses.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date, time
from fractions import Fraction
from typing import Any, Literal

from pamtps.domain.tps import VulnerabilityClass


class ElectionType(enum.StrEnum):
    PEMILU = "pemilu"
    PILKADA = "pilkada"

    @property
    def voter_cap(self) -> int:
        """KPU's cap on voters per TPS (Pemilu 2024: 300, Pilkada 2024: 600)."""
        return 300 if self is ElectionType.PEMILU else 600


def bounded(default: Any, **limits: float) -> Any:
    """A field with a default and its allowed range (``ge``, ``gt``, ``le``)."""
    return field(default=default, metadata=limits)


@dataclass(frozen=True)
class PatternRule:
    """The security pattern of one vulnerability class."""

    officers_per_post: int = bounded(2, ge=1, le=20)
    max_tps_per_post: int = bounded(1, ge=1, le=50)
    tni_per_post: int = bounded(0, ge=0, le=10)
    linmas_per_tps: int = bounded(2, ge=0, le=10)


@dataclass(frozen=True)
class GuardRule:
    """A guarded object (by code in the dataset, or every object of a kind) and its guard."""

    object: str  # an object code ("kpu.16.01") or a kind ("ppk")
    guard_size: int = field(metadata={"ge": 0, "le": 500})
    from_reserve: bool = False  # True: a reserve unit stationed at the object guards it


ReserveUnitType = Literal["brimob", "samapta", "tni", "bko_polri"]


@dataclass(frozen=True)
class ReservePolicy:
    unit_types: list[ReserveUnitType] = field(default_factory=lambda: ["brimob", "tni"])
    keep_units_whole: bool = True
    polres_reserve: int = bounded(0, ge=0)  # own officers held at Mapolres ("power on hand")
    floor: int = bounded(0, ge=0)  # officers a base must keep; dispatch may not go below
    stations: dict[str, str] = field(default_factory=dict)  # unit code -> station


Terrain = Literal["urban", "rural", "remote"]


@dataclass(frozen=True)
class TravelConfig:
    detour_factor: float = bounded(1.4, ge=1.0, le=5.0)
    speed_kmh: dict[Terrain, float] = field(
        default_factory=lambda: {"urban": 30.0, "rural": 25.0, "remote": 12.0}
    )
    urban_density: float = bounded(5.0, gt=0)  # TPS per km2 of desa above which it is urban
    remote_km: float = bounded(15.0, gt=0)  # desa farther than this from the sector base


@dataclass(frozen=True)
class ClassificationConfig:
    """How TPS are classed: Bawaslu indicators, the geographic pre-screen, Polri overrides."""

    rawan_indicators: list[str] = field(default_factory=list)  # any of these makes a TPS rawan
    sangat_rawan_indicators: list[str] = field(default_factory=list)
    min_indicators_for_rawan: int = bounded(0, ge=0)  # 0: off; n: n or more indicators -> rawan
    khusus_is_class: bool = True  # TPS khusus (9xx) get the class khusus
    prescreen_rawan: int = bounded(0, ge=0)  # the N worst by the geographic pre-screen -> rawan
    overrides: dict[str, VulnerabilityClass] = field(default_factory=dict)  # TPS -> class


@dataclass(frozen=True)
class ForcesConfig:
    """The forces beyond the Polres' own: what the Polda and the Kodim lend, and the Polsek share
    of a generated roster. Unset (None): as the roster has them (a generated roster: scaled)."""

    bko_polri: int | None = bounded(None, ge=0, le=20000)  # BKO Polri officers on TPS duty
    brimob: int | None = bounded(None, ge=0, le=5000)  # Brimob officers, in platoons of about 30
    tni: int | None = bounded(None, ge=0, le=5000)  # TNI officers (BKO Kodim)
    polsek_share: str | None = None  # part of the own strength serving in the Polsek, e.g. "45%"


@dataclass(frozen=True)
class Schedule:
    """Times on voting day (local time) used by orders and the field service."""

    apel: time = time(5, 0)
    at_tps_by: time = time(6, 30)
    voting_opens: time = time(7, 0)
    voting_closes: time = time(13, 0)


@dataclass(frozen=True)
class SolverConfig:
    time_limit_s: float = bounded(60.0, gt=0, le=3600)
    seed: int = 2024


@dataclass(frozen=True)
class StaffingConfig:
    """Who sits on which TPS post: the home-sector rule (a Kapolsek commands his own sector).

    A Polsek officer seated on a TPS post outside his own sector costs ``outside_sector_minutes``
    on top of his travel, and so does a TPS seat of a Polsek's sector held by someone not of that
    Polsek: his people guard his TPS first, BKO and Polres staff fill the rest, and an officer
    leaves his sector only where that saves more travel than the price. 0 turns the rule off:
    seats then go by travel alone.
    """

    outside_sector_minutes: float = bounded(120.0, ge=0, le=1440)


Mode = Literal["allocation", "requirement"]


@dataclass(frozen=True, kw_only=True)
class OperationConfig:
    """A whole operation file."""

    name: str
    dataset: str = "oku-2024"
    regency: str  # kabupaten/kota code, e.g. "16.01"
    election_type: ElectionType
    voting_day: date
    mode: Mode = "allocation"
    tps_share: str = "2/3"  # share of the Polres' own strength on TPS duty
    padal_per_kecamatan: int = bounded(1, ge=0, le=5)
    pattern: dict[VulnerabilityClass, PatternRule]
    guards: list[GuardRule] = field(default_factory=list)
    reserve: ReservePolicy = field(default_factory=ReservePolicy)
    travel: TravelConfig = field(default_factory=TravelConfig)
    classification: ClassificationConfig = field(default_factory=ClassificationConfig)
    forces: ForcesConfig = field(default_factory=ForcesConfig)
    schedule: Schedule = field(default_factory=Schedule)
    solver: SolverConfig = field(default_factory=SolverConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)

    @property
    def share(self) -> Fraction:
        return parse_share(self.tps_share)

    def replace(self, **changes: Any) -> OperationConfig:
        """A copy with ``changes`` (fields by name)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (dates and times in ISO form), read back by the operation file."""
        return _plain(dataclasses.asdict(self))


def parse_share(text: str) -> Fraction:
    """A share as a Kabag Ops writes it: "2/3", "0.45" or "45%"; raises ValueError if not one."""
    cleaned = text.strip()
    try:
        if cleaned.endswith("%"):
            return Fraction(cleaned[:-1].strip()) / 100
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"not a share such as 2/3, 0.45 or 45%: {text!r}") from None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | time):
        return value.isoformat()
    return value
