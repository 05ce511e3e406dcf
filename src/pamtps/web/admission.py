"""Admission of field writes: under overload, refuse at the door rather than queue in front of it.

A field write (a check-in, a movement, a TPS status, an order's acknowledgement, a phone's
batch) is admitted only while the process holds fewer of them than its door admits (at most
``PAMTPS_FIELD_INFLIGHT_LIMIT``, fewer while the admitted ones take longer than
``PAMTPS_FIELD_INFLIGHT_TARGET_MS``: ``pamtps.ops.field.writer.Door``) and the group-commit queue
is within its bounds (``Writer.admit``). Otherwise it is
answered 429 with ``Retry-After`` at once, in the service's error format and the caller's
language, before its body is read, its sender looked up or anything stored; the phone keeps the
report and sends it again after the pause (same Idempotency-Key).

Without the door, an election-day burst piles up in front of the queue: every request is read,
parsed and authenticated before the queue could refuse it, and at four times the capacity the
accepted ones waited seconds. Reads (the command post's pages, the live stream) never wait here:
the field's overload does not blind the command post.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from pamtps.ops.field.ingest import ROUTES
from pamtps.ops.field.writer import Overloaded, writer_of
from pamtps.web.core import API_PREFIX
from pamtps.web.limits import Refusal, refuse


def _any_target(route: re.Pattern[str]) -> str:
    """A single-write route's path with any value in its parameter: a malformed TPS code or
    order id is the route's to refuse, after the door."""
    return re.sub(r"\([^)]*\)", "[^/]+", route.pattern)


FIELD_WRITE = re.compile(
    "(?:" + "|".join([*(_any_target(route) for route, _ in ROUTES),
                      re.escape(f"{API_PREFIX}/field/batch")]) + ")/?"
)
"""The paths of the field writes that go through the group-commit writer (POST): the
single-write routes a batch may carry (``ROUTES``) and the batch itself."""


class AdmissionMiddleware:
    """Counts the field writes inside the process and sheds the one too many (see the module).
    Plain ASGI: everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST"
                or not FIELD_WRITE.fullmatch(scope["path"])):
            await self.app(scope, receive, send)
            return
        writer = writer_of(scope["app"])
        try:
            entered = writer.admit()
        except Overloaded as error:
            seconds = error.retry_after_s
            await refuse(scope, send, Refusal(429, "field.overloaded",
                                              ((b"retry-after", str(seconds).encode()),),
                                              seconds=seconds))
            return
        try:
            await self.app(scope, receive, send)
        finally:
            writer.door.leave(entered)
