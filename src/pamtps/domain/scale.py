"""One Polres's outcome in a Polda or national run: the small record a run keeps per Polres."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class PolresResult:
    polres_code: str          # kabupaten/kota code, e.g. "16.01"
    polres_name: str
    polda_code: str           # province code, e.g. "16"
    tps: int
    rawan: int                # TPS classed rawan (any rawan class)
    officers_own: int         # the Polres's own officers on TPS duty
    bko_polri: int            # BKO received (persons) from the Polda pool
    brimob: int               # Brimob received (persons, whole platoons)
    tni: int                  # TNI received (persons)
    rawan_short: int          # rawan TPS with fewer than two officers of their own
    shortfall: int            # officers still lacking to meet the pattern
    objective: float | None
    synthetic_roster: bool
    estimated_positions: bool

    def to_json(self) -> dict[str, Any]:
        """A plain dict (JSON-ready)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PolresResult:
        """The record from ``to_json``'s dict; a missing or unknown key is a ValueError."""
        names = {f.name for f in fields(cls)}
        missing, unknown = names - data.keys(), data.keys() - names
        if missing or unknown:
            raise ValueError(f"not a Polres result: missing {sorted(missing)}, "
                             f"unknown {sorted(unknown)}")
        return cls(**data)
