"""Police and army units on an operation."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pamtps.domain.tps import Precision


class UnitType(enum.StrEnum):
    POLDA = "polda"
    POLRES = "polres"
    POLSEK = "polsek"
    BRIMOB = "brimob"  # a Brimob platoon or company lent (BKO) by the Polda
    SAMAPTA = "samapta"
    BKO_POLRI = "bko_polri"  # other Polda directorates lent for TPS duty
    TNI = "tni"  # Kodim / Koramil detachment


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit with its base.

    A Polsek covers one or more kecamatan (``kecamatan_codes``): its sector. ``base_precision``
    says whether the base location is reported or estimated by PamTPS.
    """

    code: str
    name: str
    type: UnitType
    parent_code: str | None
    kecamatan_codes: tuple[str, ...]
    base_desa_code: str | None
    base_lat: float
    base_lng: float
    base_precision: Precision
    note: str = ""

    @property
    def is_formed_unit(self) -> bool:
        """Units that arrive and stay whole (platoons), kept together in the reserve by default."""
        return self.type in (UnitType.BRIMOB, UnitType.SAMAPTA, UnitType.TNI)
