"""Access to the data files bundled inside the package."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

_ROOT = resources.files("pamtps.datasets") / "data"


def data_path(folder: str, name: str) -> Any:
    """A Traversable for a bundled file (works from a wheel as well as from a checkout)."""
    return _ROOT / folder / name


def read_text(folder: str, name: str) -> str:
    raw = data_path(folder, name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def read_csv(folder: str, name: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(read_text(folder, name)))


@cache
def read_geojson(folder: str, name: str) -> dict[str, Any]:
    """A bundled GeoJSON file, parsed once per process (the province's desa boundaries take
    most of a regency's load time, and every regency of a provincial run reads the same file):
    the bundled files never change, and callers only read what it returns."""
    data: dict[str, Any] = json.loads(read_text(folder, name))
    return data
