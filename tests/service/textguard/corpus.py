"""The two corpora of the tally detector, read from the text files beside this module."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent


def read(name: str) -> list[str]:
    """The lines of a corpus, without comments and blanks; ``\\uXXXX`` decoded."""
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [
        re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), line)
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


TALLIES = read("tally.txt")
ORDINARY = read("ordinary.txt")
