"""The harness of the authorization matrix (``test_authz_matrix.py``): one ``Case`` per route.

A Case names a route as the application lists it (method and path template), the status each
persona must get (``expect``: every persona of ``personas.EVERYONE``, "anonymous" included),
and how to call it: ``url``, ``json`` and ``form`` are values or functions of the ``Ctx`` (the
persona, the test's database, settings, people and client); ``setup(ctx)`` runs first and may
store values in ``ctx.values``; ``send(ctx)`` replaces the whole call. Logged-in personas call
with their session cookie, and with the CSRF token on every call but GET (``csrf=False`` to
leave it out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database
from tests.service.personas import ANONYMOUS, PERSONAS


@dataclass
class Ctx:
    """What a Case's functions may use."""

    persona: str
    client: TestClient
    db: Database
    settings: Settings
    people: Mapping[str, User]
    csrf: str = ""
    values: dict[str, Any] = field(default_factory=dict)


Value = Any  # a value, or a function of the Ctx giving it


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    expect: Mapping[str, int]
    url: Value = None
    json: Value = None
    form: Value = None
    setup: Callable[[Ctx], None] | None = None
    send: Callable[[Ctx], httpx2.Response] | None = None
    csrf: bool = True

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"

    def call(self, ctx: Ctx) -> httpx2.Response:
        if self.setup:
            self.setup(ctx)
        if self.send:
            return self.send(ctx)
        headers = {"X-CSRF-Token": ctx.csrf} if self.csrf and self.method != "GET" else {}
        return ctx.client.request(
            self.method, _value(self.url, ctx) or self.route, headers=headers,
            json=_value(self.json, ctx), data=_value(self.form, ctx),
        )


def _value(value: Value, ctx: Ctx) -> Any:
    return value(ctx) if callable(value) else value


def expect(
    ok: int, allowed: Iterable[str] = tuple(PERSONAS), *, denied: int = 403, anonymous: int = 401,
    **special: int,
) -> dict[str, int]:
    """``ok`` for the allowed personas, ``denied`` for the others, ``anonymous`` for nobody
    logged in; ``special`` overrides single personas (``viewer=403``)."""
    allowed = set(allowed)
    table = {persona: ok if persona in allowed else denied for persona in PERSONAS}
    return {ANONYMOUS: anonymous} | table | special


PAGE = {"anonymous": 303}
"""Pages send nobody-logged-in to the login page: ``expect(200, **PAGE)``."""
