"""What the bench scripts share: the machine line and the result table as text and Markdown.

A table is a list of rows of strings, the header first. Text columns (``text``: their indexes,
negative from the end) are left-aligned; the others hold numbers and are right-aligned.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from pathlib import Path

DEFAULT_POSTGRES_URL = os.environ.get(
    "PAMTPS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def machine(runs: int) -> str:
    """Cores, CPU model, Python and the load average: the machine is shared, say how busy."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), platform.processor())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"load average {load}; seconds are the median of {runs} run(s)")


def _text_columns(rows: list[list[str]], text: Iterable[int]) -> set[int]:
    width = len(rows[0])
    return {i % width for i in text}


def plain(rows: list[list[str]], text: Iterable[int] = (0, -1)) -> str:
    """The table for a terminal."""
    left = _text_columns(rows, text)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i in left else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[list[str]], text: Iterable[int] = (0, -1)) -> str:
    """The table for bench/results/*.md."""
    left = _text_columns(rows, text)
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("---" if i in left else "---:" for i in range(len(rows[0])))
                 + "|")
    return "\n".join(lines)
