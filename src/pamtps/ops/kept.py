"""What a process made once and keeps while its sources stay the same (the map's layers at
province scale take seconds to make, and change only when a plan is published or data loaded)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
KINDS = 64  # kinds kept at most (a layer per user scope): the least recently used goes

# By kind: (fingerprint of the sources, what was made). One of each kind, the newest.
_made: OrderedDict[str, tuple[Hashable, Any]] = OrderedDict()


def kept(kind: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, called again only when ``key`` changed since the last call of this kind. Two
    requests at once may both make it: either result is right, the last one is kept."""
    held = _made.get(kind)
    if held is not None and held[0] == key:
        _made.move_to_end(kind)
        value: T = held[1]
        return value
    made = make()
    _made[kind] = (key, made)
    _made.move_to_end(kind)
    while len(_made) > KINDS:
        _made.popitem(last=False)
    return made
