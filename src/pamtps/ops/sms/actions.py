"""What each SMS command does, as the API does it: the bodies of the field writes, and the
incident and escort writes applied once under the SMS's key.

Who may send what: an officer everything but TERIMA; a liaison (KPPS chair, Pengawas TPS) LAPOR
and TERIMA at his own TPS; anyone registered INFO. The TPS a message names is resolved on the
sender's post (officer) or is his TPS (liaison): a TPS elsewhere is refused as the API refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pamtps.i18n import t
from pamtps.ops import audit
from pamtps.ops import idempotency as once
from pamtps.ops.channels import SMS
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort import records
from pamtps.ops.escort.alerts import flag
from pamtps.ops.escort.chain import Refusal
from pamtps.ops.events import Event
from pamtps.ops.field import live_state
from pamtps.ops.field.runtime import alert_event
from pamtps.ops.idempotency import request_hash, write_transaction
from pamtps.ops.incidents import queries
from pamtps.ops.incidents.once import Written, write_once
from pamtps.ops.incidents.reports import IncidentIn, report_incident
from pamtps.ops.scope import Scope, kecamatan_of_tps
from pamtps.ops.sms.codes import token_for_code
from pamtps.ops.sms.syntax import Command
from pamtps.ops.times import reported_time
from pamtps.ops.users import Role, User
from pamtps.store import Database, Session
from pamtps.store.field_rows import current_orders
from pamtps.store.plans import current_publication
from pamtps.store.response import duplicates_refused
from pamtps.store.tables.field import OrderRow

LANG = "id"
After = Callable[[Session, Written], object]
"""What to write with a write's answer, in its transaction (the SMS's log and reply)."""
FIELD = ("checkin", "movement", "status")
ALLOWED: dict[Role, tuple[str, ...]] = {
    Role.OFFICER: (*FIELD, "incident", "seals", "handover"),
    Role.LIAISON: ("incident", "receive"),
}


def nrp_of(user: User) -> str:
    nrp = user.nrp or user.scope_code
    if not nrp:
        raise ServiceError(403, "field.no_nrp")
    return nrp


def _order(session: Session, user: User) -> OrderRow:
    order = current_orders(session, {nrp_of(user)}).get(nrp_of(user))
    if order is None:
        raise ServiceError(404, "field.no_order", nrp=nrp_of(user))
    return order


def resolve_tps(reference: str, codes: list[str]) -> str:
    """The TPS code a message names among ``codes`` (the sender's): its number or full code."""
    if len(reference) == 13:
        if reference not in codes:
            raise ServiceError(403, "sms.tps_not_yours", tps=reference)
        return reference
    found = [code for code in codes if int(code[-3:]) == int(reference)]
    if not found:
        raise ServiceError(403, "sms.tps_not_yours", tps=reference)
    if len(found) > 1:
        raise ServiceError(422, "sms.tps_ambiguous", tps=reference, codes=", ".join(found))
    return found[0]


def _tps_of(database: Database, user: User, reference: str | None) -> str:
    if user.role is Role.LIAISON:
        return resolve_tps(str(reference), [user.scope_code or ""])
    with database.session() as session:
        order = _order(session, user)
    return resolve_tps(str(reference), [tps["code"] for tps in order.details.get("tps", [])])


def field_write(
    database: Database, secret: bytes, user: User, command: Command, at: datetime | None,
    now: datetime,
) -> tuple[str, dict[str, Any], str | None]:
    """The field API's (kind, body, target) that the command stands for."""
    stamp = {"at": at.isoformat()} if at else {}
    if command.name == "movement":
        return "movement", {"phase": command.value} | stamp, None
    if command.name == "status":
        code = _tps_of(database, user, command.tps)
        return "status", {"status": command.value, "note": command.text} | stamp, code
    with database.session() as session:
        order = _order(session, user)
        publication = current_publication(session)
    if publication is None or order.post_id is None:
        raise ServiceError(409, "field.no_post")
    versions = range(order.first_plan_version, publication.plan_version + 1)
    token = token_for_code(secret, command.value, order.nrp, str(order.post_id), versions, now)
    if token is None:
        raise ServiceError(422, "sms.checkin_code_wrong")
    return "checkin", {"method": "qr", "token": token} | stamp, None


def other_write(
    database: Database, user: User, command: Command, key: str, at: datetime | None,
    now: datetime, after: After,
) -> Written:
    """An incident or escort write, applied once under ``key``; ``after`` runs in its
    transaction when it is applied (not when its key replays an earlier answer)."""
    code = _tps_of(database, user, command.tps)
    if command.name == "incident":
        return _incident(database, user, command, code, key, at, now, after)
    return _escort(database, user, command, code, key, at, now, after)


def _incident(
    database: Database, user: User, command: Command, code: str, key: str, at: datetime | None,
    now: datetime, after: After,
) -> Written:
    body = IncidentIn(tps_code=code, category=command.value, severity=command.level,
                      description=command.text, at=at)
    payload = body.model_dump(mode="json")
    scope = Scope.of(user, {}, [code])  # the TPS was resolved on his post or is his own

    def apply(session: Session) -> Written:
        reported = report_incident(session, user, scope, body, now, SMS)
        row, change = reported.incident, "merged" if reported.merged else "reported"
        answer = queries.incident_json(row) | {"merged": reported.merged}
        audit.record(session, user.username, f"incident.{change}", f"incident:{row.id}",
                     payload | {"merged": reported.merged, "channel": "sms"})
        written = Written(200 if reported.merged else 201, answer,
                          [queries.incident_event(row, change)])
        after(session, written)
        return written

    digest = request_hash("SMS", "incident", payload)
    return write_once(database, f"user:{user.id}", key, digest, now, apply)


def _escort(
    database: Database, user: User, command: Command, code: str, key: str, at: datetime | None,
    now: datetime, after: After,
) -> Written:
    """Seals or one side of a handover, as the escort API applies them (and flags refusals)."""
    if user.role is Role.OFFICER and not live_state.officer_scope(database, user).can_see_tps(code):
        raise ServiceError(403, "escort.not_yours", tps=code)
    side = "receiver" if command.name == "receive" else "officer"
    actor, seen = f"ops:{user.id}", reported_time(at, now)
    body = {"name": command.name, "tps": code, "leg": command.value, "seals": command.seals,
            "receiver": command.text, "at": at.isoformat() if at else None}
    digest = request_hash("SMS", "escort", body)
    try:
        with duplicates_refused(), write_transaction(database) as session:
            replay = once.claim(session, actor, key, digest, now)
            if replay:
                return Written(replay[0], replay[1], replayed=True)
            if command.name == "seals":
                answer = records.record_seals(session, code, command.seals, user.username, seen)
                audit.record(session, user.username, "escort.seals", f"tps:{code}",
                             answer | {"channel": "sms"})
                resolved: list[Any] = []
            else:
                receiver = command.text.strip() or user.display_name
                answer, resolved = records.record_handover(
                    session, code, leg=command.value, side=side, seals=command.seals,
                    actor=user.username, receiver_name=receiver, at=seen, now=now)
                audit.record(session, user.username, "escort.handover", f"tps:{code}",
                             answer | {"channel": "sms"})
            once.remember(session, actor, key, 201, answer)
            events = [Event("escort", answer, (code,), None, kecamatan_of_tps(code))]
            written = Written(201, answer, events + [alert_event(a) for a in resolved])
            after(session, written)
    except Refusal as refusal:
        _flag(database, refusal, user, now)
        raise
    return written


def _flag(database: Database, refusal: Refusal, user: User, now: datetime) -> None:
    with write_transaction(database) as session:
        tps, leg = refusal.params["tps"], refusal.params["leg"]
        alert = flag(session, refusal, tps, leg, user.username, now)
        if alert:
            audit.record(session, user.username, "escort.flagged", f"alert:{alert.id}",
                         alert.to_json())


def confirmation(command: Command, body: dict[str, Any], *, replayed: bool) -> str:
    """The Indonesian reply confirming what was recorded."""
    tps = body.get("tps_code") or command.tps or "-"
    text = t(f"sms.ok.{command.name}", LANG, tps=tps, step=command.value, phase=command.value,
             id=body.get("id", "-"), leg=command.value.upper())
    return t("sms.ok.replayed", LANG) + " " + text if replayed else text
