"""Refusals shared by the field modules, as the service's ``ServiceError``."""

from __future__ import annotations

from pamtps.ops.errors import ServiceError


def not_found(what: str, ident: object) -> ServiceError:
    return ServiceError(404, "field.not_found", what=what, id=ident)
