"""Bahasa Indonesia by default, English on request: message catalogs and ``t(key, **params)``.

Catalogs are the JSON files ``locales/<part>.<lang>.json`` (flat ``{"key": "text {param}"}``);
every part's files are merged, so each part of the service keeps its own (``core.id.json``,
``field.id.json``...). A test checks that every key exists in every language. Domain terms (TPS,
Polsek, rawan, BKO, Sprint, Padal) stay Indonesian in English too.

The language of a request comes from ``?lang=``, then the ``lang`` cookie, then Accept-Language,
then Indonesian; ``LanguageMiddleware`` picks it and sets it for ``t`` (a context variable).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANG_COOKIE = "lang"
LOCALES = Path(__file__).with_name("locales")

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """Every message of a language, from all ``locales/*.<lang>.json`` files."""
    merged: dict[str, str] = {}
    for path in sorted(LOCALES.glob(f"*.{lang}.json")):
        messages = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & messages.keys()
        if clash:
            raise ValueError(f"{path.name}: keys defined twice: {sorted(clash)}")
        merged.update(messages)
    return merged


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the request's language), filled with params.

    A key missing from the language falls back to Indonesian, then to the key itself.
    """
    text = catalog(lang or current_language.get()).get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    return key if text is None else text.format(**params)


def translator(lang: str) -> Callable[..., str]:
    """``t`` bound to one language, as templates get it."""
    return lambda key, **params: t(key, lang, **params)


def from_accept_language(header: str) -> str | None:
    """The supported language the browser prefers most (``en-US,en;q=0.9,id;q=0.8``)."""
    weighted = []
    for order, part in enumerate(header.split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        weighted.append((-weight, order, tag.split("-")[0].strip().lower()))
    return next((tag for *_, tag in sorted(weighted) if tag in LANGUAGES), None)


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language of a request: query parameter, cookie, Accept-Language, Indonesian."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice
    return (accept and from_accept_language(accept)) or DEFAULT_LANGUAGE


class LanguageMiddleware:
    """Picks each request's language (``request.state.lang`` and ``t``); ``?lang=`` is remembered
    in the ``lang`` cookie for a year. Plain ASGI, so streamed responses (SSE) pass untouched."""

    def __init__(self, app: ASGIApp, *, secure_cookie: bool = False) -> None:
        self.app = app
        self.secure_cookie = secure_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        cookie = cookie_parser(headers.get("cookie", "")).get(LANG_COOKIE)
        lang = pick_language(asked, cookie, headers.get("accept-language"))
        scope.setdefault("state", {})["lang"] = lang
        remember = asked in LANGUAGES and asked != cookie

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                value = f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax"
                if self.secure_cookie:
                    value += "; Secure"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", value.encode())]
            await send(message)

        token = current_language.set(lang)
        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            current_language.reset(token)
