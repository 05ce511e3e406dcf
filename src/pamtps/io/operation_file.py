"""The operation file: ``OperationConfig`` in TOML, validated with clear errors.

``load_operation`` reads a file; ``parse_operation`` checks a dict (a stored plan's operation,
a test's). pydantic checks the domain dataclasses: types, and the range that each field's metadata
states (``ge``, ``gt``, ``le``); the rules across fields are checked here. Every problem is
reported with its key.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from pamtps.domain import Dataset, VulnerabilityClass
from pamtps.domain.operation import OperationConfig, parse_share


class OperationFileError(ValueError):
    """An operation file that cannot be used; the message names the file, field and reason."""


def _dataclasses_of(cls: Any) -> Iterator[type]:
    """``cls`` and every dataclass its fields hold, however nested in lists and dicts."""
    if dataclasses.is_dataclass(cls) and isinstance(cls, type):
        yield cls
        for hint in typing.get_type_hints(cls).values():
            yield from _dataclasses_of(hint)
    for argument in typing.get_args(cls):
        yield from _dataclasses_of(argument)


@cache
def _adapter() -> TypeAdapter[OperationConfig]:
    for cls in set(_dataclasses_of(OperationConfig)):  # a key the file does not know is an error
        cls.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return TypeAdapter(OperationConfig)


def share_problem(text: str, *, zero_allowed: bool = False) -> str | None:
    """Why ``text`` is not a usable share (above 0, or from 0, and at most 1), or None."""
    try:
        share = parse_share(text)
    except ValueError as error:
        return str(error)
    if share > 1 or share < 0 or (share == 0 and not zero_allowed):
        return f"must be {'from' if zero_allowed else 'above'} 0 and at most 1: {text}"
    return None


def _rule_problems(config: OperationConfig) -> Iterator[tuple[str, str]]:
    problem = share_problem(config.tps_share)
    if problem:
        yield "tps_share", problem
    if config.forces.polsek_share is not None:
        problem = share_problem(config.forces.polsek_share, zero_allowed=True)
        if problem:
            yield "forces.polsek_share", problem
    missing = [c.value for c in VulnerabilityClass if c not in config.pattern]
    if missing:
        yield "pattern", f"pattern is missing for class(es): {', '.join(missing)}"


def _reason(problem: Any) -> str:
    """pydantic's reason in a Kabag Ops' words: an unknown or missing key, or the bad value."""
    if problem["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
        return "unknown key (not an operation setting; check the spelling)"
    if problem["type"] in ("missing", "missing_argument"):
        return "missing: this key is required"
    return f"{problem['msg']} (given: {problem['input']!r})"


def parse_operation(data: dict[str, Any], source: str = "operation") -> OperationConfig:
    """Validate ``data`` into an ``OperationConfig``; raises OperationFileError on any problem."""
    try:
        config = _adapter().validate_python(data)
    except ValidationError as error:
        lines = [
            f"{source}: {'.'.join(str(p) for p in problem['loc']) or '(file)'}: {_reason(problem)}"
            for problem in error.errors()
        ]
        raise OperationFileError("\n".join(lines)) from None
    problems = list(_rule_problems(config))
    if problems:
        raise OperationFileError("\n".join(f"{source}: {key}: {why}" for key, why in problems))
    return config


def data_problems(config: OperationConfig, dataset: Dataset) -> Iterator[tuple[str, str]]:
    """What the operation names that the regency's data does not hold, as (key, reason)."""
    known = {tps.code for tps in dataset.tps}
    for code in config.classification.overrides:
        if code not in known:
            yield (f"classification.overrides.{code}",
                   f"unknown TPS code: no TPS {code!r} in regency {config.regency}")


def read_toml(path: Path) -> dict[str, Any]:
    """An operation file's TOML as data; raises OperationFileError if missing or not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OperationFileError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise OperationFileError(f"{path}: not valid TOML: {error}") from None


def load_operation(path: str | Path) -> OperationConfig:
    """Read and validate an operation file; raises OperationFileError listing every problem."""
    path = Path(path)
    return parse_operation(read_toml(path), str(path))


def bundled_operation(name: str = "oku-2024") -> Path:
    """The path of an operation file shipped with PamTPS."""
    return Path(__file__).parent / "operations" / f"{name}.toml"


def operation_for(dataset: str) -> Path:
    """The bundled operation file of a dataset's Polres where one ships, else the default one."""
    own = bundled_operation(dataset)
    return own if own.exists() else bundled_operation("default")
