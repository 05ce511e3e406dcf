"""Domain objects to table rows and back.

A table has one column per dataclass field, of the same name. Going in, frozensets become sorted
lists, tuples lists, enums their values and a Rank its name; coming out, each value is turned back
into the type its field declares, so a saved object loads back equal to itself.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from pamtps.domain import Rank, rank_by_name

T = TypeVar("T")

Row = dict[str, Any]


def encode(value: Any) -> Any:
    """The column value of one field value."""
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Rank):
        return value.name
    if isinstance(value, enum.Enum):
        return value.value
    return value


def to_row(obj: Any) -> Row:
    """The row of a domain dataclass: its fields, encoded."""
    return {field.name: encode(getattr(obj, field.name)) for field in fields(obj)}


def _keep(value: Any) -> Any:
    return value


def _decoder(hint: Any) -> Callable[[Any], Any]:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        # Optional fields: decode the value, pass None through.
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        decode = _decoder(inner)
        return lambda value: None if value is None else decode(value)
    if origin in (frozenset, tuple):
        return origin
    if hint is Rank:
        return rank_by_name
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    return _keep


_DECODERS: dict[type, dict[str, Callable[[Any], Any]]] = {}


def _decoders(cls: type) -> dict[str, Callable[[Any], Any]]:
    if cls not in _DECODERS:
        hints = get_type_hints(cls)
        _DECODERS[cls] = {field.name: _decoder(hints[field.name]) for field in fields(cls)}
    return _DECODERS[cls]


def from_row(cls: type[T], row: Any) -> T:
    """The domain object of class ``cls`` held in ``row`` (a mapping with one key per field)."""
    return cls(**{name: decode(row[name]) for name, decode in _decoders(cls).items()})
