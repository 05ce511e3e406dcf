"""The rules of the chain of custody, as pure checks on what a TPS already has.

After counting, the officer records the seal number of each of the five boxes (Pemilu 2024:
PPWP, DPR, DPD, DPRD provinsi, DPRD kabupaten/kota). The boxes then travel two legs: ``pps``
(TPS -> PPS of the desa) and ``ppk`` (PPS -> PPK of the kecamatan). Each leg is confirmed by
both sides: the escorting ``officer`` and the ``receiver`` (the receiving official, through a
liaison account, or entered on the officer's device with his name). A handover whose seals differ
from those recorded at the TPS, or a PPK handover before the PPS leg is complete, is refused and
flagged (``Refusal.flag``): the refusal itself is news for the command.
"""

from __future__ import annotations

from collections.abc import Mapping

from pamtps.ops.errors import ServiceError

BOXES = ("ppwp", "dpr", "dpd", "dprd_prov", "dprd_kab")
LEGS = ("pps", "ppk")
SIDES = ("officer", "receiver")
MAX_SEAL = 64
SEAL_MISMATCH, OUT_OF_ORDER = "escort_seal_mismatch", "escort_out_of_order"
OVERDUE = "escort_overdue"

Seals = Mapping[str, str]
Confirmed = set[tuple[str, str]]
"""The (leg, side) pairs a TPS already has."""


class Refusal(ServiceError):
    """A refused handover that also raises an alert of kind ``flag``."""

    def __init__(self, status: int, key: str, flag: str, **params: object) -> None:
        super().__init__(status, key, **params)
        self.flag = flag


def check_seals(seals: Seals) -> dict[str, str]:
    """The five seals, trimmed; 422 if one is missing, unknown or empty."""
    unknown = sorted(set(seals) - set(BOXES))
    missing = [box for box in BOXES if not str(seals.get(box, "")).strip()]
    if unknown or missing:
        raise ServiceError(
            422,
            "escort.seals_invalid",
            boxes=", ".join(BOXES),
            wrong=", ".join(unknown + missing),
        )
    clean = {box: str(seals[box]).strip() for box in BOXES}
    if any(len(seal) > MAX_SEAL for seal in clean.values()):
        raise ServiceError(422, "escort.seal_too_long", limit=MAX_SEAL)
    return clean


def leg_complete(confirmed: Confirmed, leg: str) -> bool:
    return all((leg, side) in confirmed for side in SIDES)


def box_name(box: str) -> str:
    """The box as printed on it: 'ppwp' -> 'PPWP', 'dprd_prov' -> 'DPRD PROV'."""
    return box.replace("_", " ").upper()


def check_handover(
    recorded: Seals, confirmed: Confirmed, tps_code: str, leg: str, side: str, seals: Seals
) -> None:
    """Refuse a handover the chain does not allow (see the module docstring)."""
    if leg not in LEGS or side not in SIDES:
        raise ServiceError(422, "escort.leg_unknown", legs=", ".join(LEGS), sides=", ".join(SIDES))
    if not recorded:
        raise ServiceError(409, "escort.no_seals", tps=tps_code)
    if (leg, side) in confirmed:
        raise ServiceError(409, "escort.already_confirmed", tps=tps_code, leg=leg, side=side)
    earlier = LEGS[: LEGS.index(leg)]
    missing = [e for e in earlier if not leg_complete(confirmed, e)]
    if missing:
        raise Refusal(
            409,
            "escort.out_of_order",
            OUT_OF_ORDER,
            tps=tps_code,
            leg=leg,
            before=", ".join(missing),
            leg_name=leg.upper(),
            before_name=", ".join(m.upper() for m in missing),
        )
    wrong = [box for box in BOXES if str(seals.get(box, "")).strip() != recorded.get(box)]
    if wrong:
        raise Refusal(
            409,
            "escort.seal_mismatch",
            SEAL_MISMATCH,
            tps=tps_code,
            leg=leg,
            boxes=", ".join(wrong),
            leg_name=leg.upper(),
            box_names=", ".join(box_name(box) for box in wrong),
        )
