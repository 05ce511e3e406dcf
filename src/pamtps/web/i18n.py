"""The language of each web request, set for ``pamtps.i18n.t`` (see that module)."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pamtps.i18n import LANG_COOKIE, LANGUAGES, current_language, pick_language


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
