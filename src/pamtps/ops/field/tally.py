"""Police must not record vote counts: find anything in a payload that looks like a tally.

A standing instruction (docs/DOMAIN.md section 6): the KPPS counts, Bawaslu supervises, Polri
only secures. So the field service refuses any payload that carries vote counts, at any depth:
keys such as ``suara``, ``votes``, ``perolehan``, ``hasil``, ``tally`` (alone or inside
``suara_sah``, ``jumlahVotes``...), and free text such as "paslon 01: 120 suara" (read by
``pamtps.ops.textguard``, the one detector of every free-text field; keys are read after the
same normalisation, so "ѕuara" with a Cyrillic s is still "suara").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pamtps.ops.textguard import is_tally, normalise

# Words that name a vote count, in Indonesian and English; matched as whole parts of a key.
TALLY_WORDS = frozenset(
    {
        "suara",
        "vote",
        "votes",
        "voting_result",
        "perolehan",
        "hasil",
        "tally",
        "tallies",
        "paslon",
        "ballots",
        "result",
        "results",
        "rekap",
        "rekapitulasi",
        "plano",
        "c1",
    }
)
# A key broken into words: snake_case, kebab-case, camelCase, spaces, dots.
_KEY_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=4096)  # phones send the same few keys all day
def _names_tally(key: str) -> bool:
    if is_tally(key):
        return True
    words = {part.casefold() for part in _KEY_PARTS.findall(key)}  # camelCase needs the case
    plain = normalise(key)  # look-alikes, invisible characters, spacing undone
    words |= set(re.findall(r"[a-z]+|\d+", plain))
    joined = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return bool((words | {joined}) & TALLY_WORDS)


def find_tallies(payload: Any, path: str = "$") -> list[str]:
    """The paths in ``payload`` (JSON-like) that carry or name a vote count; [] if none."""
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            where = f"{path}.{key}"
            if _names_tally(str(key)):
                found.append(where)
            else:
                found += find_tallies(value, where)
    elif isinstance(payload, list):
        for i, value in enumerate(payload):
            found += find_tallies(value, f"{path}[{i}]")
    elif isinstance(payload, str) and is_tally(payload):
        found.append(path)
    return found

