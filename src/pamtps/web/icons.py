"""The web app's icons, drawn as PNG with the standard library (``zlib``): no image dependency.

The drawing is a ballot box on the police-blue of the pages: a white box with a slot and a
ballot going in. ``maskable`` keeps the drawing inside the safe circle (80 % of the side) that
Android may cut the icon to.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

BLUE = (26, 58, 110)
WHITE = (255, 255, 255)
GOLD = (242, 153, 0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _encode(size: int, rows: list[bytes]) -> bytes:
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def _distance(u: float, v: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far (u, v) is from the segment a-b."""
    du, dv = b[0] - a[0], b[1] - a[1]
    k = max(0.0, min(1.0, ((u - a[0]) * du + (v - a[1]) * dv) / (du * du + dv * dv)))
    return float(((u - a[0] - k * du) ** 2 + (v - a[1] - k * dv) ** 2) ** 0.5)


def _colour(x: float, y: float, inset: float) -> tuple[int, int, int]:
    """The colour at (x, y) in unit coordinates; the drawing spans [inset, 1 - inset]."""
    span = 1 - 2 * inset
    u, v = (x - inset) / span, (y - inset) / span
    in_box = 0.18 <= u <= 0.82 and 0.45 <= v <= 0.85
    in_slot = 0.32 <= u <= 0.68 and 0.50 <= v <= 0.54
    in_ballot = 0.38 <= u <= 0.62 and 0.15 <= v <= 0.52
    in_tick = in_ballot and min(
        _distance(u, v, (0.43, 0.30), (0.49, 0.37)), _distance(u, v, (0.49, 0.37), (0.58, 0.22))
    ) < 0.025
    if in_tick or in_slot:
        return BLUE
    if in_ballot:
        return GOLD
    if in_box:
        return WHITE
    return BLUE


@cache
def icon_png(size: int, maskable: bool = False) -> bytes:
    """A square icon of ``size`` pixels (cached: drawn once per process)."""
    inset = 0.14 if maskable else 0.04
    rows = []
    for j in range(size):
        y = (j + 0.5) / size
        rows.append(b"".join(bytes(_colour((i + 0.5) / size, y, inset)) for i in range(size)))
    return _encode(size, rows)
