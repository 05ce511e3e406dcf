"""Registering the numbers that may report by SMS: an officer's by NRP, a liaison's by TPS.

``NRP`` names an officer's account. ``<TPS code>-kpps`` or ``<TPS code>-pengawas`` names the
liaison of that TPS: his account from a redeemed code, or, when he never had data to redeem one,
a new liaison account for that TPS that has no usable password (it reports by SMS only).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from pamtps.ops import audit
from pamtps.ops.errors import ServiceError
from pamtps.ops.liaison.codes import HOLDERS
from pamtps.ops.sms.phone import normalized
from pamtps.ops.users import Role, User, create_user
from pamtps.store import Session
from pamtps.store import sms as stored
from pamtps.store.tables.reference import TpsRow

_LIAISON = re.compile(r"(\d{13})-([a-z]+)")
_NRP = re.compile(r"\d{6,20}")


def account_for(session: Session, target: str, actor: str) -> User:
    """The account a registration names (see the module docstring)."""
    text = target.strip().lower()
    liaison = _LIAISON.fullmatch(text)
    if liaison and liaison.group(2) in HOLDERS:
        tps, holder = liaison.groups()
        if session.get(TpsRow, tps) is None:
            raise ServiceError(404, "sms.tps_unknown", tps=tps)
        row = stored.liaison_of(session, tps, holder)
        if row is not None:
            return User.from_row(row)
        return create_user(
            session, username=f"{holder}.{tps}.sms", password=secrets.token_urlsafe(24),
            role=Role.LIAISON, actor=actor, scope_code=tps,
            display_name=f"{holder.upper()} TPS {tps}",
        )
    if _NRP.fullmatch(text):
        row = stored.officer_by_nrp(session, text)
        if row is None:
            raise ServiceError(404, "sms.officer_unknown", nrp=text)
        return User.from_row(row)
    raise ServiceError(422, "sms.register_target_invalid", target=target[:40])


def register(session: Session, target: str, phone: str, actor: str, now: datetime) -> User:
    """Register ``phone`` to the account ``target`` names (audited ``sms.registered``)."""
    number = normalized(phone)
    user = account_for(session, target, actor)
    stored.save_sender(session, {"phone": number, "user_id": user.id, "registered_by": actor,
                                 "registered_at": now})
    audit.record(session, actor, "sms.registered", f"phone:{number}",
                 {"user": user.username, "role": user.role.value})
    return user


def unregister(session: Session, phone: str, actor: str) -> None:
    """Remove a number (audited ``sms.unregistered_number``); 404 if it was not registered."""
    number = normalized(phone)
    if not stored.delete_sender(session, number):
        raise ServiceError(404, "sms.sender_unknown", phone=number)
    audit.record(session, actor, "sms.unregistered_number", f"phone:{number}", {})


def sender_json(phone: str, user: Any) -> dict[str, Any]:
    return {"phone": phone, "username": user.username, "role": user.role,
            "nrp": user.nrp, "tps_code": user.scope_code if user.role == "liaison" else None,
            "name": user.display_name}
