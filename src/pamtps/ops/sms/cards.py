"""The personal SMS cards: each officer with an order on a post, his TPS and his HADIR code."""

from __future__ import annotations

from pamtps.documents.sms_card import CardOfficer
from pamtps.ops.sms.codes import checkin_code, shown
from pamtps.store import Session
from pamtps.store.field import orders_in_force_by_nrp
from pamtps.store.plans import current_publication


def officers_cards(session: Session, secret: bytes) -> list[CardOfficer]:
    """One card per order in force on a post, by NRP; [] if no plan is published."""
    publication = current_publication(session)
    if publication is None:
        return []
    cards = []
    for row in orders_in_force_by_nrp(session):
        if row.kind != "post" or row.post_id is None:
            continue
        code = checkin_code(secret, row.nrp, str(row.post_id), publication.plan_version)
        officer = row.details.get("officer", {})
        tps = tuple(f"{t['label']} {t['desa']} ({t['code']})" for t in row.details.get("tps", []))
        name = f"{officer.get('rank', '')} {officer.get('name', '')}".strip() or row.nrp
        cards.append(CardOfficer(name, row.nrp, shown(code), tps))
    return cards
