"""What a user may see: his ``Scope``, built from his role and scope code and the Polsek sectors.

- admin, command, viewer: everything (``everything`` is True);
- polsek: the kecamatan of its sector (the unit's ``kecamatan_codes``), their TPS, and the
  officers posted there;
- padal: his kecamatan, its TPS and the officers posted there;
- officer: himself by NRP, and the TPS of his post (``post_tps_codes``, from his order) with the
  officers on it (his partner);
- liaison: his TPS and the officers posted there.

A TPS belongs to the kecamatan whose digits begin its KPU code, so ``can_see_tps`` needs no
lookup. Whether a user may *change* something is ``Role.can_write`` plus the same scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pamtps.domain import Dataset
from pamtps.domain.tps import split_tps_code
from pamtps.ops.users import Role, User
from pamtps.store import Session
from pamtps.store.security import polsek_sectors

Sectors = Mapping[str, Iterable[str]]
"""Polsek unit code -> the kecamatan codes of its sector."""

EVERYTHING = frozenset({Role.ADMIN, Role.COMMAND, Role.VIEWER})


def kecamatan_of_tps(tps_code: str) -> str | None:
    """The dotted kecamatan code of a KPU TPS code (``1601072001001`` -> ``16.01.07``)."""
    try:
        desa, _ = split_tps_code(tps_code)
    except ValueError:
        return None
    return desa.rsplit(".", 1)[0]


def sectors_of(dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """The sector of every Polsek of a dataset."""
    return {unit.code: unit.kecamatan_codes for unit in dataset.polsek}


def load_sectors(session: Session) -> dict[str, tuple[str, ...]]:
    """The sector of every stored Polsek."""
    return polsek_sectors(session)


@dataclass(frozen=True, slots=True)
class Scope:
    """The part of the regency one user sees (see the module docstring)."""

    role: Role
    everything: bool = False
    kecamatan_codes: frozenset[str] = frozenset()
    tps_codes: frozenset[str] = frozenset()
    nrp: str | None = None

    @classmethod
    def of(cls, user: User, sectors: Sectors, post_tps_codes: Iterable[str] = ()) -> Scope:
        """The scope of a user; ``post_tps_codes`` are an officer's post TPS (from his order)."""
        code = user.scope_code or ""
        if user.role in EVERYTHING:
            return cls(user.role, everything=True)
        if user.role is Role.POLSEK:
            return cls(user.role, kecamatan_codes=frozenset(sectors.get(code, ())))
        if user.role is Role.PADAL:
            return cls(user.role, kecamatan_codes=frozenset({code}))
        if user.role is Role.OFFICER:
            return cls(user.role, tps_codes=frozenset(post_tps_codes), nrp=code or user.nrp)
        return cls(user.role, tps_codes=frozenset({code}))  # liaison

    def can_see_kecamatan(self, code: str) -> bool:
        return self.everything or code in self.kecamatan_codes

    def can_see_tps(self, tps_code: str) -> bool:
        if self.everything or tps_code in self.tps_codes:
            return True
        kecamatan = kecamatan_of_tps(tps_code)
        return kecamatan is not None and kecamatan in self.kecamatan_codes

    def can_see_officer(self, nrp: str, post_tps_codes: Iterable[str] = ()) -> bool:
        """Himself, or an officer posted (``post_tps_codes``) at a TPS this user sees."""
        if self.everything or (self.nrp is not None and nrp == self.nrp):
            return True
        return any(self.can_see_tps(code) for code in post_tps_codes)
