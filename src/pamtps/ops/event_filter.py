"""What each user may read of an event: one filter for the API views and the live stream.

The live stream must never tell a subscriber more than the API would: an event reaches a user
only if his scope covers it (``event_in_scope``) and only as his role's API view shows that
kind of record (``view_of``). A kind is listed per role; an event of an unlisted kind reaches
only the roles that see everything, so a new kind leaks nothing until someone decides who may
read it.

The rules mirror the routes:

- ``alert`` and ``dispatch``: read by the supervisors (``GET /alerts``, ``/incidents/{id}/
  dispatches``), never by an officer or a liaison;
- ``checkin``, ``movement``, ``ack``: the officers' own facts; read by supervisors and by the
  officers of the post, not by a liaison (no route shows him movements or orders);
- ``status``, ``incident``: whoever sees the TPS (the timeline, the incident list);
- ``escort``: whoever sees the TPS, but a liaison without the seal numbers (``escort_view``):
  as the receiver he confirms the numbers he reads on the boxes himself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from pamtps.ops.events import Event
from pamtps.ops.scope import EVERYTHING, Scope
from pamtps.ops.users import Role

SUPERVISORS = frozenset({Role.ADMIN, Role.COMMAND, Role.POLSEK, Role.PADAL, Role.VIEWER})
_FIELD = SUPERVISORS | {Role.OFFICER}
_ALL = frozenset(Role)

# Seal numbers, wherever an escort record carries them.
SEAL_KEYS = frozenset({"seals"})

View = Callable[[Role, dict[str, Any]], dict[str, Any]]


def escort_view(role: Role, escort: Mapping[str, Any]) -> dict[str, Any]:
    """An escort record (or escort event) as ``role`` may read it: a liaison is told whether
    the boxes are sealed, never the numbers, at any depth of the record."""
    if role is not Role.LIAISON:
        return dict(escort)
    shown = _without_seals(escort)
    if "seals" in escort:
        shown["seals"] = {}
        shown["sealed"] = bool(escort.get("sealed", escort["seals"]))
    return shown


def _without_seals(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: ({} if k in SEAL_KEYS else _without_seals(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_seals(item) for item in value]
    return value


def _as_is(_role: Role, data: dict[str, Any]) -> dict[str, Any]:
    return data


# kind -> (the roles that read it, how each reads it)
KINDS: dict[str, tuple[frozenset[Role], View]] = {
    "alert": (SUPERVISORS, _as_is),
    "dispatch": (SUPERVISORS, _as_is),
    "publish": (SUPERVISORS, _as_is),
    "checkin": (_FIELD, _as_is),
    "movement": (_FIELD, _as_is),
    "ack": (_FIELD, _as_is),
    "status": (_ALL, _as_is),
    "incident": (_ALL, _as_is),
    "escort": (_ALL, escort_view),
}


def event_in_scope(scope: Scope, event: Event) -> bool:
    """Whether the event concerns what the scope covers: its officer, kecamatan or a TPS."""
    if scope.everything or (event.nrp is not None and event.nrp == scope.nrp):
        return True
    if event.kecamatan is not None and scope.can_see_kecamatan(event.kecamatan):
        return True
    return any(scope.can_see_tps(code) for code in event.tps_codes)


def view_of(scope: Scope, event: Event) -> Event | None:
    """The event as the scope's user may read it, or None if he may not read it at all."""
    if not event_in_scope(scope, event):
        return None
    rule = KINDS.get(event.kind)
    if rule is None:
        return event if scope.role in EVERYTHING else None
    roles, view = rule
    if scope.role not in roles:
        return None
    data = view(scope.role, event.data)
    return event if data is event.data else replace(event, data=data)
