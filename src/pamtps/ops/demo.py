"""Demo users for the OKU demo: one per role, with a known password that the demo prints.

The dataset must already be saved in the database (scopes are checked against it). Running it
again resets the demo users to the demo password, role and scope (audited as ``user.reset``).
"""

from __future__ import annotations

from pamtps.domain import Dataset
from pamtps.ops.users import Role, create_user, find_user, reset_user
from pamtps.store import Database

DEMO_PASSWORD = "pamtps-demo"
DEMO_POLSEK = "polsek.16.01.14"  # Polsek Baturaja Timur, in the regency's capital
DEMO_ACTOR = "system:demo"

DemoUser = tuple[str, str, str, str | None]
"""(username, password, role, scope_code)"""


Spec = tuple[str, Role, str | None, str]  # username, role, scope, display name


def _demo_specs(dataset: Dataset, officer_nrp: str | None) -> list[Spec]:
    polsek = dataset.unit_by_code.get(DEMO_POLSEK) or dataset.polsek[0]
    place = polsek.name.removeprefix("Polsek ")
    slug = place.lower().replace(" ", "")
    specs = [
        ("admin", Role.ADMIN, None, "Admin PamTPS"),
        ("komandan", Role.COMMAND, None, "Kapolres"),
        ("kabagops", Role.COMMAND, None, "Kabag Ops"),
        (f"sek.{slug}", Role.POLSEK, polsek.code, f"Kapolsek {place}"),
        (f"padal.{slug}", Role.PADAL, polsek.kecamatan_codes[0], f"Padal {place}"),
        ("polda", Role.VIEWER, None, "Polda (pemantau)"),
    ]
    if officer_nrp is not None:
        officer = next(o for o in dataset.personnel if o.nrp == officer_nrp)
        specs.append(("petugas", Role.OFFICER, officer.nrp, officer.display))
    return specs


def create_demo_users(
    db: Database, dataset: Dataset, officer_nrp: str | None = None
) -> list[DemoUser]:
    """Create (or reset) the demo users; the officer ``petugas`` only if ``officer_nrp`` is given
    (pick an officer who has a post in the plan). Returns what to print."""
    created = []
    with db.session() as session:
        for username, role, scope, display_name in _demo_specs(dataset, officer_nrp):
            row = find_user(session, username)
            if row is None:
                create_user(
                    session, username=username, password=DEMO_PASSWORD, role=role,
                    actor=DEMO_ACTOR, scope_code=scope, display_name=display_name,
                )
            else:
                reset_user(
                    session, row, password=DEMO_PASSWORD, role=role, scope_code=scope,
                    actor=DEMO_ACTOR,
                )
            created.append((username, DEMO_PASSWORD, role.value, scope))
    return created
