"""One Polres's result in a Polda or national run: the record written per Polres.

A run writes one JSON file per Polres (``<out>/polres/<code>.json``), so that any folder of them
(a Polda's or the nation's) can be summed and viewed without holding every plan in memory.
"""

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
        """Plain JSON data (a dict of numbers, strings and booleans)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PolresResult:
        """The record from ``to_json``'s dict; a missing or unknown key raises ValueError."""
        names = {f.name for f in fields(cls)}
        missing, unknown = names - data.keys(), data.keys() - names
        if missing or unknown:
            raise ValueError(
                f"not a Polres result: missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        return cls(**{name: data[name] for name in names})
