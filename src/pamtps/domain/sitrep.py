"""A situation report's numbers, as the command service counts them and the documents print them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pamtps.domain.clock import utc

OPEN, CLOSED = "open", "closed"


@dataclass
class Sitrep:
    """The numbers of one report (see the module docstring)."""

    at: datetime
    operation: str
    coverage: dict[str, int]
    incidents_by_category: dict[str, dict[str, int]]
    incidents_by_sector: dict[str, dict[str, int]]
    open_incidents: list[dict[str, Any]]
    closed_incidents: list[dict[str, Any]]
    reserve_units: list[dict[str, Any]]
    escorts: dict[str, int]
    totals: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # sector and TPS codes -> names
    zone: str = "UTC"  # the operation's: WIB, WITA or WIT
    utc_offset_h: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"at": utc(self.at).isoformat()}


LISTED = 500  # incidents listed per table, the oldest open first and the latest closed first
