"""The command post's escort page ``/pengawalan``: the ballot boxes on their way to the PPK.

Server-rendered like the other dashboard pages; its script (``static/js/pengawalan.js``) reads
the escorts (``/api/v1/escorts``), the open ``escort_*`` alerts (``/api/v1/alerts``) and the live
events (``escort``, ``alert``, ``status``), and, for command and Polsek (who may issue them), the
liaison invite codes (``/api/v1/liaison/codes``, ``/revoke``, ``/sheet``). The page gets the names
of the kecamatan and desa the user sees, so that a TPS code can be shown as ``TPS 001 <desa>``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pamtps.ops.escort.chain import BOXES, LEGS
from pamtps.ops.liaison.codes import HOLDERS
from pamtps.ops.people import desa_labels
from pamtps.ops.scope import Scope
from pamtps.ops.tps_detail import page_zone, zone_config
from pamtps.ops.users import Role
from pamtps.store import Session
from pamtps.store.response import kecamatan_and_desa
from pamtps.web.auth import CurrentScope, DbSession
from pamtps.web.core import render
from pamtps.web.dashboard import Supervisor, messages

router = APIRouter()

CODE_ISSUERS = (Role.COMMAND, Role.POLSEK)
"""Who may issue and revoke liaison codes (as ``/api/v1/liaison/codes`` allows)."""


def area_names(session: Session, scope: Scope) -> dict[str, Any]:
    """The kecamatan (code, name; sorted by name) and desa (code -> name) the scope sees."""
    rows = kecamatan_and_desa(session)
    kecamatan = sorted(
        ((code, name) for code, name, level in rows if level == "kecamatan"),
        key=lambda pair: pair[1],
    )
    desa = {
        code: name
        for code, name, level in rows
        if level == "desa" and scope.can_see_kecamatan(code.rsplit(".", 1)[0])
    }
    return {
        "kecamatan": [[code, name] for code, name in kecamatan if scope.can_see_kecamatan(code)],
        "desa": desa,
    }


@router.get("/pengawalan", response_class=HTMLResponse, include_in_schema=False)
def escort_page(
    request: Request, user: Supervisor, scope: CurrentScope, session: DbSession
) -> HTMLResponse:
    """Counters, escorts and alerts of the user's area; the liaison codes for their issuers."""
    can_issue = user.role in CODE_ISSUERS
    config = {
        "boxes": list(BOXES),
        "legs": list(LEGS),
        "canIssueCodes": can_issue,
        "messages": messages(request, "escorts.", "alert.", "page.", "name."),
        "desaLabels": desa_labels(session),  # 'TPS 001 · Desa Air Paoh'
        "zone": zone_config(page_zone(session)),  # every time in the operation's zone
        **area_names(session, scope),
    }
    page = {"config": config, "page_script": "pengawalan.js", "holders": HOLDERS}
    return render(request, "pengawalan.html", page | {"can_issue": can_issue})
