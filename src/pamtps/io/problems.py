"""Problems found in an imported file, and the one exception that carries all of them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file.

    ``row`` is the row number a spreadsheet shows (the header is row 1); it is None for a problem
    with the whole file. ``column`` is the normalised header name, ``value`` the cell as read.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.value:
            where += f", value {self.value!r}"
        return f"{where}: {self.reason}"


class ImportFailed(Exception):
    """A file was refused; ``problems`` lists everything wrong with it, in row order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__(self.problems)

    @classmethod
    def of_file(
        cls, file: str, reason: str, row: int | None = None, value: str | None = None
    ) -> ImportFailed:
        """The failure of a file refused as a whole, for one reason."""
        return cls([Problem(file, row, None, value, reason)])

    def __str__(self) -> str:
        files = sorted({p.file for p in self.problems})
        count = len(self.problems)
        head = f"{', '.join(files)} could not be imported ({count} problem{'s' * (count != 1)}):"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class Problems:
    """Collects the problems of one file while it is checked, to raise them all at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.items.append(Problem(self.file, row, column, value, reason))

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items)


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``value`` (ignoring case), or None when nothing is close."""
    by_key = {c.casefold(): c for c in candidates}
    found = difflib.get_close_matches(value.casefold(), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """A "; did you mean 'X'?" hint for a reason, or "" when nothing is close."""
    match = closest(value, candidates)
    return f"; did you mean {match!r}?" if match else ""
