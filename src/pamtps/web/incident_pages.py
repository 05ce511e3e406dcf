"""The command post's incident page, ``/kejadian``: incidents, their workflow, the reserve's
dispatch and the situation report, all read and written through the API by ``js/kejadian.js``.

Who sees what follows the API: every supervisor (admin, command, Polsek, Padal, viewer) lists
the incidents of his scope; Command, Polsek and Padal move them through their workflow; only
Command sends reserve units; admin, command and viewer read the situation reports, admin and
command make one. The page gets the names of areas, Polsek and reserve bases once, so that its
script can label TPS codes and stations without asking again.

The map (``/peta``) labels its incident markers and reserve bases with the same messages
(``dashboard.INCIDENT_MESSAGES``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from pamtps.ops.dispatch import orders
from pamtps.ops.incidents import workflow
from pamtps.ops.incidents.runtime import runtime_of
from pamtps.ops.people import desa_labels
from pamtps.ops.tps_detail import page_zone, zone_config
from pamtps.ops.users import Role, User
from pamtps.store.incidents import code_names
from pamtps.web.auth import DbSession, require_roles
from pamtps.web.dashboard import INCIDENT_MESSAGES, SUPERVISORS, _page, messages

router = APIRouter()

Supervisor = Annotated[User, Depends(require_roles(*SUPERVISORS))]
HANDLERS = frozenset({Role.COMMAND, Role.POLSEK, Role.PADAL})
SITREP_READERS = frozenset({Role.ADMIN, Role.COMMAND, Role.VIEWER})
SITREP_MAKERS = frozenset({Role.ADMIN, Role.COMMAND})


def rights(user: User) -> dict[str, bool]:
    """What the page offers this user (the API decides anyway)."""
    return {
        "canHandle": user.role in HANDLERS,
        "canDispatch": user.role is Role.COMMAND,
        "canReadSitrep": user.role in SITREP_READERS,
        "canMakeSitrep": user.role in SITREP_MAKERS,
    }


@router.get("/kejadian", response_class=HTMLResponse, include_in_schema=False)
def incidents_page(request: Request, user: Supervisor, session: DbSession) -> HTMLResponse:
    settings = runtime_of(request.app).settings
    config = rights(user) | {
        "responseMinutes": settings.response_minutes,
        "dispatchNext": {status: list(steps) for status, steps in orders.NEXT.items()},
        "names": code_names(session),  # TPS, sectors, reserve bases
        "desa": desa_labels(session),  # a TPS is named 'TPS 001 · Desa Air Paoh'
        "zone": zone_config(page_zone(session)),  # every time in the operation's zone
        "messages": messages(request, *INCIDENT_MESSAGES, "role.", "channel.", "page.", "name."),
    }
    context = {"statuses": workflow.STATUSES, **rights(user)}
    return _page(request, "kejadian", config, **context)


