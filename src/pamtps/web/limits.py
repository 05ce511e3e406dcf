"""Limits every request meets before any route parses it: size, JSON nesting, text, the URL.

``RequestLimitsMiddleware`` (plain ASGI, so streams pass untouched) refuses, in the service's
error format and the caller's language:

- a body over its limit (413): at once when ``Content-Length`` says so, without reading it;
  otherwise as soon as the chunks read pass the limit. JSON and forms may have ``MAX_BODY``
  bytes, a photo (``image/*``) ``MAX_UPLOAD``;
- JSON nested deeper than ``MAX_DEPTH`` (400): Python's parser would recurse until it fails;
- JSON whose strings hold an escaped NUL (``\\u0000``) or a lone surrogate (``\\ud800``) (422):
  no column can store them (PostgreSQL refuses both), so no field needs them;
- a NUL in the path, the query string (400) or a form (422), for the same reason.

The scans run on the raw bytes with regular expressions and stop at the first bracket past the
limit, so they cost little next to parsing; the body read is handed on to the route unchanged.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pamtps.i18n import t
from pamtps.ops.incidents.photos import MAX_PHOTO_BYTES
from pamtps.ops.inputs import plain_text
from pamtps.web.core import API_PREFIX

MAX_BODY = 1024 * 1024
"""Bytes of a JSON or form body: a phone's batch of 500 reports needs a fraction of it."""
MAX_UPLOAD = MAX_PHOTO_BYTES + 64 * 1024
"""Bytes of a raw upload (an incident photo): the photo's limit and some slack."""
MAX_DEPTH = 32
"""Nesting of JSON arrays and objects; the service's bodies need 4."""
FORM = "application/x-www-form-urlencoded"
METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A JSON string (its escapes included); what remains outside them are the brackets that count.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Escapes that may decode to a NUL or a surrogate, and surrogates written in UTF-8 (Python's
# parser lets them through): the strings are then checked one by one.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\xed[\xa0-\xbf]")


class Refusal(Exception):
    """A request refused before the application sees it."""

    def __init__(self, status: int, key: str, headers: tuple[tuple[bytes, bytes], ...] = (),
                 **params: int) -> None:
        super().__init__(key)
        self.status, self.key, self.params, self.headers = status, key, params, headers


def body_limit(content_type: str) -> int:
    return MAX_UPLOAD if content_type.startswith("image/") else MAX_BODY


def is_json(content_type: str) -> bool:
    """Bodies the routes read as JSON: declared so, or undeclared (FastAPI then tries JSON)."""
    media = content_type.split(";")[0].strip()
    return not media or media == "application/json" or media.endswith("+json")


def json_depth_exceeds(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON in ``body`` nests arrays and objects deeper than ``limit``."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        if depth > limit:
            return True
    return False


def check_json(body: bytes) -> None:
    """Refuse a JSON body nested too deep or carrying text no column can hold."""
    if json_depth_exceeds(body):
        raise Refusal(400, "request.too_deep", limit=MAX_DEPTH)
    if _SUSPECT_ESCAPE.search(body):
        try:
            document = json.loads(body)
        except ValueError:
            return  # not JSON at all: the route says so
        if not _storable(document):
            raise Refusal(422, "request.bad_text")


def _storable(value: object) -> bool:
    """Whether every string (and key) in a parsed JSON value is free of NUL and surrogates."""
    if isinstance(value, str):
        try:
            plain_text(value)
        except ValueError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    return True


def check_url(scope: Scope) -> None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    for part in (raw_path, scope.get("query_string", b"")):
        if b"\x00" in part or b"%00" in part:
            raise Refusal(400, "request.nul_in_url")


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            if not value.isdigit() or len(value) > 18:
                raise Refusal(400, "request.bad_length")
            return int(value)
    return None


def content_type_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").lower()
    return ""


class RequestLimitsMiddleware:
    """Refuses oversized, too deeply nested or unstorable requests before the routes parse them
    (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_url(scope)
            if scope["method"] not in METHODS_WITH_BODY:
                await self.app(scope, receive, send)
                return
            content_type = content_type_of(scope)
            limit = body_limit(content_type)
            declared = declared_length(scope)
            if declared is not None and declared > limit:
                raise Refusal(413, "request.too_large", limit=limit)
            body = await _read(receive, limit)
            if is_json(content_type):
                check_json(body)
            elif content_type.startswith(FORM) and b"%00" in body:
                raise Refusal(422, "request.bad_text")
        except Refusal as refusal:
            await refuse(scope, send, refusal)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read(receive: Receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refusal(400, "request.disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refusal(413, "request.too_large", limit=limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the disconnect, as a server would
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def refuse(scope: Scope, send: Send, refusal: Refusal) -> None:
    """Answer ``refusal`` in the service's error format (plain text outside the API), in the
    request's language, without reading the body."""
    message = t(refusal.key, None, **refusal.params)
    if scope["path"].startswith(API_PREFIX):
        content = json.dumps({"detail": {"code": refusal.key, "message": message}}).encode()
        media = b"application/json"
    else:
        content, media = message.encode("utf-8"), b"text/plain; charset=utf-8"
    headers = [(b"content-type", media), (b"content-length", str(len(content)).encode()),
               *refusal.headers]
    if refusal.status == 413:
        headers.append((b"connection", b"close"))  # the rest of the body is never read
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
