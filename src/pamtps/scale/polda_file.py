"""A Polda's operation file: an operation file (the pattern each Polres plans by) with a
``[polda]`` section: the Polda's code, its pool, the share it keeps and the pool's bases.

    [polda]
    code = "16"
    bko_polri = 1013          # persons
    brimob = 640              # persons, lent in whole platoons of 30
    tni = 510                 # persons
    reserve_share = "10%"     # held back as the Polda's own reserve
    bases = [{name = "Mapolda", lat = -2.95, lng = 104.75}]   # optional
    polres = ["16.72", "16.74"]   # optional: only these of its Polres (default: every one)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from pamtps.domain.operation import OperationConfig, parse_share
from pamtps.io.operation_file import (
    OperationFileError,
    bundled_operation,
    parse_operation,
    read_toml,
)
from pamtps.scale.allocate import Pool
from pamtps.scale.polda import Base

POOL_KEYS = ("bko_polri", "brimob", "tni")


@dataclass(frozen=True)
class PoldaFile:
    """The file's operation, its Polda code, pool and bases."""

    operation: OperationConfig
    code: str
    pool: Pool
    bases: tuple[Base, ...]
    polres: tuple[str, ...] = ()


def bundled_polda(code: str) -> Path:
    """The Polda file shipped for a province (``polda-16.toml``)."""
    return bundled_operation(f"polda-{code}")


def load_polda_file(path: Path) -> PoldaFile:
    """Read a Polda file; raises OperationFileError naming the file, the key and the reason."""
    data = read_toml(path)
    section = data.pop("polda", None)
    if not isinstance(section, dict):
        raise OperationFileError(f"{path}: polda: missing section [polda] (the Polda's pool)")
    operation = parse_operation(data, str(path))
    return parse_polda(section, operation, str(path))


def parse_polda(section: dict[str, Any], operation: OperationConfig, source: str) -> PoldaFile:
    """The ``[polda]`` section, checked key by key."""
    def problem(key: str, why: str) -> OperationFileError:
        return OperationFileError(f"{source}: polda.{key}: {why}")

    unknown = set(section) - {"code", "reserve_share", "bases", "polres", *POOL_KEYS}
    if unknown:
        raise problem(sorted(unknown)[0], "unknown key (not a Polda setting; check the spelling)")
    code = section.get("code")
    if not isinstance(code, str) or not code.isdigit() or len(code) != 2:
        raise problem("code", f"a two-digit province code such as \"16\" expected, got {code!r}")
    counts = {}
    for key in POOL_KEYS:
        value = section.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise problem(key, f"a whole number of persons, 0 or more, expected, got {value!r}")
        counts[key] = value
    try:
        share = parse_share(str(section.get("reserve_share", "0")))
    except ValueError as error:
        raise problem("reserve_share", str(error)) from None
    if not 0 <= share < 1:
        raise problem("reserve_share", f"a share from 0 up to, not including, 1 expected: {share}")
    bases = []
    for number, base in enumerate(section.get("bases", []), start=1):
        try:
            bases.append(Base(str(base["name"]), float(base["lat"]), float(base["lng"])))
        except (KeyError, TypeError, ValueError):
            raise problem(f"bases[{number}]", "name, lat and lng expected") from None
        if not (-90 <= bases[-1].lat <= 90 and -180 <= bases[-1].lng <= 180):
            raise problem(f"bases[{number}]", "lat or lng out of range")
    polres = section.get("polres", [])
    if not isinstance(polres, list) or not all(
            isinstance(c, str) and c.startswith(f"{code}.") for c in polres):
        raise problem("polres", f"a list of kabupaten/kota codes of Polda {code} expected "
                      f"(e.g. [\"{code}.01\"]), got {polres!r}")
    unit_types = operation.reserve.unit_types
    pool = Pool(counts["bko_polri"], counts["brimob"], counts["tni"], Fraction(share),
                brimob_on_tps="brimob" not in unit_types, tni_on_tps="tni" not in unit_types,
                floor=operation.reserve.floor)
    return PoldaFile(operation, code, pool, tuple(bases), tuple(polres))
