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

from pamtps.domain.plan import Reason

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


def number_text(value: float, lang: str | None = None) -> str:
    """A figure as its reader writes it: '2.150,5' in Indonesian, '2,150.5' in English."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if (lang or current_language.get()) == "id":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def reason_text(reason: Reason | str, lang: str | None = None) -> str:
    """A class reason of a plan in ``lang``; a plain-text reason (old plan files) as itself."""
    if isinstance(reason, str):
        return reason
    render = _REASONS.get(reason.code)
    if render is None:
        return t(f"reason.{reason.code}", lang, **reason.params)
    return render(reason.params, lang)


def _cls(value: str, lang: str | None) -> str:
    return t(f"reason.class.{value}", lang)


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


INDICATOR_DIGITS = {"jarak_jalan": 0, "travel": 0, "travel_minutes": 0, "sparseness": 1,
                    "persentase_hutan_alami": 0, "persentase_elektrifikasi": 0}
"""Decimals worth showing per indicator (metres and minutes whole, shares in whole percent)."""


def _indicator(key: str, value: object, lang: str | None) -> str:
    if isinstance(value, int | float):
        shown = number_text(round(value, INDICATOR_DIGITS.get(key, 2)), lang)
    else:
        shown = str(value)
    text = t(f"indicator.{key}", lang, value=shown)
    return f"{key} {shown}" if text == f"indicator.{key}" else text


def _bawaslu_list(params: Mapping[str, Any], lang: str | None) -> str:
    pairs = params.get("indicators") or []
    indicators = ", ".join(key if value in ("", "1", "ya") else f"{key} ({value})"
                           for key, value in pairs)
    return _joined(
        t("reason.bawaslu_list", lang, cls=_cls(params["cls"], lang)),
        t("reason.bawaslu_list.alasan", lang, alasan=params["alasan"])
        if params.get("alasan") else "",
        t("reason.bawaslu_list.indicators", lang, indicators=indicators) if indicators else "",
        t("reason.bawaslu_list.source", lang, source=params["source"])
        if params.get("source") else "",
    )


def _prescreen(params: Mapping[str, Any], lang: str | None) -> str:
    density = params.get("density")
    text = t("reason.prescreen", lang, rank=params["rank"], of=params["of"],
             km=number_text(params["km"], lang), base=params["base"],
             density="" if density is None else t(
                 "reason.prescreen.density", lang, density=number_text(density, lang)))
    drivers = ", ".join(_indicator(key, value, lang) for key, value in params.get("drivers") or [])
    return _joined(text, t("reason.prescreen.drivers", lang, drivers=drivers) if drivers else "")


def _no_rule(params: Mapping[str, Any], lang: str | None) -> str:
    indicators = params.get("indicators") or []
    parts = [
        t("reason.no_rule.unused", lang, indicators=", ".join(indicators)) if indicators
        else t("reason.no_rule.none", lang),
        t("reason.no_rule.listed", lang) if params.get("listed") else "",
    ]
    if params.get("rank") is not None:
        parts.append(t("reason.no_rule.rank", lang, n=params["prescreen"], rank=params["rank"],
                       of=params["of"]))
    elif not params.get("listed"):
        parts.append(t("reason.no_rule.prescreen_off", lang))
    return _joined(*parts)


_REASONS: dict[str, Callable[[Mapping[str, Any], str | None], str]] = {
    "tps_khusus": lambda p, lang: t("reason.tps_khusus", lang, number=p["number"]),
    "bawaslu_indicator": lambda p, lang: t("reason.bawaslu_indicator", lang,
                                           indicator=p["indicator"], cls=_cls(p["cls"], lang)),
    "bawaslu_indicator_count": lambda p, lang: t(
        "reason.bawaslu_indicator_count", lang, count=p["count"],
        indicators=", ".join(p["indicators"]), min=p["min"]),
    "bawaslu_list": _bawaslu_list,
    "prescreen": _prescreen,
    "override": lambda p, lang: t("reason.override", lang, cls=_cls(p["cls"], lang),
                                  ruled=_cls(p["ruled"], lang)),
    "no_rule": _no_rule,
}
