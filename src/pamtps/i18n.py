"""Bahasa Indonesia by default, English on request: message catalogs and ``t(key, **params)``.

Catalogs are the JSON files ``locales/<part>.<lang>.json`` (flat ``{"key": "text {param}"}``);
every part's files are merged, so each part of the service keeps its own (``core.id.json``,
``field.id.json``...). A test checks that every key exists in every language. Domain terms (TPS,
Polsek, rawan, BKO, Sprint, Padal) stay Indonesian in English too.

The language of a request comes from ``?lang=``, then the ``lang`` cookie, then Accept-Language,
then Indonesian; ``pamtps.web.i18n.LanguageMiddleware`` picks it and sets it for ``t`` (a
context variable). Documents, logic and the CLI use ``t`` without any web framework.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

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
