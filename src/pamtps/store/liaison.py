"""Liaison invite codes in the store: finding, listing and revoking them, and the TPS they are
issued for. How a code is made and redeemed is ``pamtps.ops.liaison.codes``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pamtps.store.tables.incidents import LiaisonCodeRow
from pamtps.store.tables.reference import AreaRow, TpsRow
from pamtps.store.tables.security import UserRow


def stored_tps_codes(session: Session, codes: Sequence[str]) -> set[str]:
    """Those of ``codes`` that are stored TPS."""
    return set(session.scalars(select(TpsRow.code).where(TpsRow.code.in_(codes))))


def tps_codes_of_desa(session: Session, desa: str) -> list[str]:
    """The codes of the TPS of a desa (none if the desa is not stored)."""
    return list(session.scalars(select(TpsRow.code).where(TpsRow.desa_code == desa)))


def revoke_codes(
    session: Session, code_ids: Sequence[int], user_ids: Sequence[int], now: datetime
) -> None:
    """Mark the codes revoked at ``now``, and disable these users (those opened with them)."""
    session.execute(
        update(LiaisonCodeRow).where(LiaisonCodeRow.id.in_(code_ids)).values(revoked_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
    if user_ids:
        session.execute(update(UserRow).where(UserRow.id.in_(user_ids)).values(active=False))


def active_codes(
    session: Session, tps_codes: Sequence[str], holders: Sequence[str]
) -> Sequence[LiaisonCodeRow]:
    """The codes of these TPS and holders that are not revoked."""
    return session.scalars(
        select(LiaisonCodeRow).where(
            LiaisonCodeRow.tps_code.in_(tps_codes),
            LiaisonCodeRow.holder.in_(holders),
            LiaisonCodeRow.revoked_at.is_(None),
        )
    ).all()


def code_by_lookup(session: Session, lookup: str) -> LiaisonCodeRow | None:
    """The code whose keyed digest is ``lookup``, if any."""
    return session.scalars(
        select(LiaisonCodeRow).where(LiaisonCodeRow.lookup == lookup)
    ).one_or_none()


def listed_codes(session: Session, tps_codes: Sequence[str] | None) -> list[LiaisonCodeRow]:
    """Every code (only those of ``tps_codes`` if given), by TPS and in order of issue."""
    query = select(LiaisonCodeRow).order_by(LiaisonCodeRow.tps_code, LiaisonCodeRow.id)
    if tps_codes is not None:
        query = query.where(LiaisonCodeRow.tps_code.in_(tps_codes))
    return list(session.scalars(query))


def printable_codes(session: Session, tps_codes: Sequence[str]) -> list[LiaisonCodeRow]:
    """The codes of these TPS that are neither revoked nor redeemed."""
    return list(session.scalars(
        select(LiaisonCodeRow).where(
            LiaisonCodeRow.tps_code.in_(tps_codes), LiaisonCodeRow.revoked_at.is_(None),
            LiaisonCodeRow.redeemed_at.is_(None),
        )
    ))


def area_names(session: Session) -> dict[str, str]:
    """Code -> name of every area."""
    return {code: name for code, name in session.execute(select(AreaRow.code, AreaRow.name))}


def tps_rows(session: Session, codes: Sequence[str]) -> list[TpsRow]:
    """The stored TPS of these codes."""
    return list(session.scalars(select(TpsRow).where(TpsRow.code.in_(codes))))
