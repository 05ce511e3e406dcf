"""The SMS routes in the authorization matrix (``tests/service/test_authz_matrix.py``).

The two gateway endpoints need no login: the gateway's signature (or form secret) is the
credential, so every persona, logged in or not, gets 401 without it. Registered numbers are the
command's (and the admin's) to see and change, as is queuing a failed reply again; the SMS log
and the replies waiting for the gateway are read by those who oversee all.
"""

from __future__ import annotations

from tests.service.authz import Case, Ctx, expect
from tests.service.personas import EVERYONE, OFFICER_NRP

REGISTRARS = ("admin", "command")
OVERSEERS = ("admin", "command", "viewer")
UNSIGNED = {persona: 401 for persona in EVERYONE}


def _sender(ctx: Ctx) -> dict[str, str]:
    return {"target": OFFICER_NRP, "phone": "0812 1111 2222"}


CASES = [
    # No session, so no CSRF token: a cookie gives these routes nothing.
    Case("POST", "/api/v1/sms/android", UNSIGNED, json={"event": "sms:received"}, csrf=False),
    Case("POST", "/api/v1/sms/inbound", UNSIGNED,
         form={"sender": "0812", "text": "APEL", "secret": "salah"}, csrf=False),
    Case("GET", "/api/v1/sms/senders", expect(200, REGISTRARS)),
    Case("POST", "/api/v1/sms/senders", expect(201, REGISTRARS), json=_sender),
    Case("GET", "/api/v1/sms/messages", expect(200, OVERSEERS)),
    Case("GET", "/api/v1/sms/replies", expect(200, OVERSEERS)),
    # No failed reply in the matrix's database: those allowed get as far as 404.
    Case("POST", "/api/v1/sms/replies/{reply_id}/retry", expect(404, REGISTRARS),
         url="/api/v1/sms/replies/1/retry"),
]
