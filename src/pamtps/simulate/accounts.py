"""Device tokens for the simulated phones, made in the service's database before the day.

Creating and logging in hundreds of officers through the API would spend minutes on password
hashing; a simulated officer needs only a device token. So each post's leader gets a user
``sim.<nrp>`` that no password opens (its hash is not a valid one) and a fresh token, written
directly in the database the service uses, and audited like any other user and token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pamtps.ops import audit
from pamtps.ops.sessions import issue_token
from pamtps.ops.users import Role, User, find_user
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.plans import current_publication
from pamtps.store.tables.security import UserRow

ACTOR = "system:simulate"
NO_PASSWORD = "!"  # not an argon2 hash: check_password refuses every password


def officer_tokens(database: Database, settings: Settings, nrps: list[str]) -> dict[str, str]:
    """A device token per NRP, for its user ``sim.<nrp>`` (created unless it exists)."""
    tokens = {}
    with database.session() as session:
        for nrp in nrps:
            username = f"sim.{nrp}"
            row = find_user(session, username)
            if row is None:
                row = UserRow(
                    username=username,
                    password_hash=NO_PASSWORD,
                    role=Role.OFFICER.value,
                    scope_code=nrp,
                    display_name=f"Simulasi {nrp}",
                    nrp=nrp,
                    active=True,
                    failed_attempts=0,
                    locked_until=None,
                    created_at=datetime.now(UTC),
                )
                session.add(row)
                session.flush()
                audit.record(
                    session,
                    ACTOR,
                    "user.created",
                    f"user:{username}",
                    {"role": "officer", "scope": nrp, "simulation": True},
                )
            tokens[nrp], _ = issue_token(session, User.from_row(row), settings, label="simulasi")
    return tokens


def plan_version(database: Database) -> int:
    """The version of the plan in force (its HADIR codes are drawn from it); 0 if none."""
    with database.session() as session:
        publication = current_publication(session)
        return publication.plan_version if publication else 0
