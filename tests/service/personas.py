"""The people of the service tests, one per role, on the toy regency of ``tests/fixtures.py``.

Every persona has the password ``PASSWORD``. ``sek.hilir`` is the Polsek out of scope for
anything in Hulu (the rawan TPS, Bripka Andi's post); ``kpps.sukamaju`` is the reserved liaison.
"""

from __future__ import annotations

from pamtps.domain.tps import tps_code
from pamtps.ops.users import Role
from tests.fixtures import HULU, SUKAMAJU

PASSWORD = "rahasia-123"

OFFICER_NRP = "90030003"  # Bripka Andi, Polsek Hulu
LIAISON_TPS = tps_code(SUKAMAJU, 1)

# persona -> (username, role, scope_code)
PERSONAS: dict[str, tuple[str, Role, str | None]] = {
    "admin": ("admin", Role.ADMIN, None),
    "command": ("komandan", Role.COMMAND, None),
    "polsek": ("sek.hulu", Role.POLSEK, "polsek_hulu"),
    "polsek_other": ("sek.hilir", Role.POLSEK, "polsek_hilir"),
    "padal": ("padal.hulu", Role.PADAL, HULU),
    "officer": ("andi", Role.OFFICER, OFFICER_NRP),
    "viewer": ("polda", Role.VIEWER, None),
    "liaison": ("kpps.sukamaju", Role.LIAISON, LIAISON_TPS),
}
ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONAS)
