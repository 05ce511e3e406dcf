"""Invite codes for a TPS's election officials, and the liaison accounts they open.

Every TPS has one active code for its KPPS chair and one for its Pengawas TPS. A code is eight
characters of an alphabet without look-alikes (no 0/O, 1/I/L), printed as ``ABCD-EFGH`` beside a
QR code of the redeem page. It is derived from a stored nonce and the service's secret key, so a
lost sheet can be printed again, while a copy of the database alone opens nothing (it holds only
the nonce and a keyed digest to find the code by).

Redeeming a code once creates a liaison account limited to that TPS. Revoking a code, or issuing
a new one for the same TPS and holder, invalidates the old code and disables the account opened
with it (the phone of a replaced or departed official loses access).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pamtps.domain.clock import utc
from pamtps.domain.liaison import HOLDER_NAMES
from pamtps.ops import audit
from pamtps.ops.errors import ServiceError
from pamtps.ops.users import Role, User, create_user
from pamtps.store import Session
from pamtps.store import liaison as stored
from pamtps.store.tables.incidents import LiaisonCodeRow
from pamtps.tokens import shown

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
HOLDERS = ("kpps", "pengawas")


def derive_code(secret: bytes, nonce: str) -> str:
    """The code of a nonce under the secret: ``LENGTH`` characters of ``ALPHABET``."""
    number = int.from_bytes(hmac.new(secret, f"code:{nonce}".encode(), hashlib.sha256).digest())
    chars = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def typed(text: str) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s-]+", "", text).upper()


def _lookup(secret: bytes, code: str) -> str:
    return hmac.new(secret, f"lookup:{code}".encode(), hashlib.sha256).hexdigest()


def code_of(row: LiaisonCodeRow, secret: bytes) -> str:
    return derive_code(secret, row.nonce)


def code_json(row: LiaisonCodeRow, secret: bytes | None = None) -> dict[str, Any]:
    """A code as the API lists it; its text only when ``secret`` is given."""
    state = "revoked" if row.revoked_at else "redeemed" if row.redeemed_at else "active"
    body: dict[str, Any] = {
        "id": row.id,
        "tps_code": row.tps_code,
        "holder": row.holder,
        "state": state,
        "issued_by": row.issued_by,
        "issued_at": utc(row.issued_at).isoformat(),
        "redeemed_at": utc(row.redeemed_at).isoformat() if row.redeemed_at else None,
        "revoked_at": utc(row.revoked_at).isoformat() if row.revoked_at else None,
    }
    if secret is not None and state == "active":
        body["code"] = shown(code_of(row, secret))
    return body


def tps_codes_of(session: Session, tps: Iterable[str], desa: str | None) -> list[str]:
    """The TPS named, plus every TPS of the desa; 404 for a TPS or desa that is not stored."""
    wanted = sorted(set(tps))
    found = stored.stored_tps_codes(session, wanted)
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ServiceError(404, "liaison.tps_unknown", tps=", ".join(missing))
    if desa:
        in_desa = stored.tps_codes_of_desa(session, desa)
        if not in_desa:
            raise ServiceError(404, "liaison.desa_unknown", desa=desa)
        found |= set(in_desa)
    return sorted(found)


def _disable(session: Session, rows: Iterable[LiaisonCodeRow], now: datetime) -> None:
    """Revoke the codes, and disable the accounts opened with them."""
    ids = [row.id for row in rows]
    if not ids:
        return
    users = [row.user_id for row in rows if row.user_id is not None]
    stored.revoke_codes(session, ids, users, now)


def issue_codes(
    session: Session, tps_codes: list[str], holders: Iterable[str], secret: bytes, actor: str,
    now: datetime,
) -> list[LiaisonCodeRow]:
    """New codes for these TPS and holders; the active ones they replace are revoked."""
    holders = sorted(set(holders))
    unknown = [h for h in holders if h not in HOLDERS]
    if unknown or not holders:
        raise ServiceError(422, "liaison.holder_unknown", holders=", ".join(HOLDERS))
    old = stored.active_codes(session, tps_codes, holders)
    _disable(session, old, now)
    session.flush()
    rows = []
    for code in tps_codes:
        for holder in holders:
            nonce = secrets.token_hex(16)
            rows.append(
                LiaisonCodeRow(
                    tps_code=code, holder=holder, nonce=nonce,
                    lookup=_lookup(secret, derive_code(secret, nonce)), issued_by=actor,
                    issued_at=now,
                )
            )
    session.add_all(rows)
    session.flush()
    payload = {"codes": [[r.id, r.tps_code, r.holder] for r in rows],
               "replaced": [r.id for r in old]}
    audit.record(session, actor, "liaison.codes_issued", f"tps:{','.join(tps_codes)}", payload)
    return rows


def revoke_code(session: Session, row: LiaisonCodeRow, actor: str, now: datetime) -> None:
    """Revoke a code (again is harmless) and disable the account opened with it."""
    if row.revoked_at is None:
        _disable(session, [row], now)
        audit.record(session, actor, "liaison.code_revoked", f"liaison_code:{row.id}",
                     {"tps": row.tps_code, "holder": row.holder, "user_id": row.user_id})


def find_code(session: Session, text: str, secret: bytes) -> LiaisonCodeRow | None:
    code = typed(text)
    if len(code) != LENGTH:
        return None
    return stored.code_by_lookup(session, _lookup(secret, code))


def redeem_code(
    session: Session, row: LiaisonCodeRow, name: str, now: datetime
) -> User:
    """Open the liaison account of an active, unused code (410 if revoked, 409 if used)."""
    if row.revoked_at is not None:
        raise ServiceError(410, "liaison.code_revoked")
    if row.redeemed_at is not None:
        raise ServiceError(409, "liaison.code_used")
    user = create_user(
        session,
        username=f"{row.holder}.{row.tps_code}.{row.id}",
        password=secrets.token_urlsafe(32),  # never told anyone: the account logs in by code
        role=Role.LIAISON,
        actor=f"liaison_code:{row.id}",
        scope_code=row.tps_code,
        display_name=name.strip() or f"{HOLDER_NAMES[row.holder]} {row.tps_code}",
    )
    row.redeemed_at, row.user_id = now, user.id
    audit.record(session, user.username, "liaison.code_redeemed", f"liaison_code:{row.id}",
                 {"tps": row.tps_code, "holder": row.holder, "user": user.username})
    return user
