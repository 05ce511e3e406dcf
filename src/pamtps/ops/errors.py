"""A refusal the service explains: an HTTP status, a message key and its parameters.

Logic modules raise it without knowing the language or the transport; the application's handler
answers an API call with ``{"detail": {"code": key, "message": text}}`` and a page with the error
page, the text in the user's language (``pamtps.i18n``).
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request refused, e.g. ``ServiceError(409, "users.username_taken", username="andi")``."""

    def __init__(self, status: int, key: str, **params: Any) -> None:
        super().__init__(f"{key} {params}" if params else key)
        self.status = status
        self.key = key
        self.params = params
