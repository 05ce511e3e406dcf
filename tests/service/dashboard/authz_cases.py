"""The dashboard's routes in the authorization matrix (``tests/service/test_authz_matrix.py``).

The map, the TPS page and the orders page are for those who oversee TPS (admin, command, Polsek,
Padal, viewer); the TPS page of Sukamaju TPS 001 (in Hulu) is not found for Polsek Hilir. The
officer's page is the officer's alone. The boundaries are public data: anyone logged in.
"""

from __future__ import annotations

from tests.service.authz import PAGE, Case, expect
from tests.service.field.plans import SUKAMAJU_1

SUPERVISORS = ("admin", "command", "polsek", "polsek_other", "padal", "viewer")

CASES = [
    Case("GET", "/peta", expect(200, SUPERVISORS, **PAGE)),
    Case("GET", "/tps/{tps_code}", expect(200, SUPERVISORS, polsek_other=404, **PAGE),
         url=f"/tps/{SUKAMAJU_1.code}"),
    Case("GET", "/perintah", expect(200, SUPERVISORS, **PAGE)),
    Case("GET", "/tugas", expect(200, ["officer"], **PAGE)),
    Case("GET", "/api/v1/map/boundaries", expect(200)),
    Case("GET", "/api/v1/map/plan", expect(200, SUPERVISORS)),
]
