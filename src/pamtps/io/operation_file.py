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
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from pamtps.domain import VulnerabilityClass
from pamtps.domain.operation import OperationConfig


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


def _rule_problems(config: OperationConfig) -> Iterator[tuple[str, str]]:
    try:
        share = Fraction(config.tps_share)
    except (ValueError, ZeroDivisionError):
        yield "tps_share", f"not a fraction such as 2/3: {config.tps_share!r}"
    else:
        if not 0 < share <= 1:
            yield "tps_share", f"must be above 0 and at most 1: {config.tps_share}"
    missing = [c.value for c in VulnerabilityClass if c not in config.pattern]
    if missing:
        yield "pattern", f"pattern is missing for class(es): {', '.join(missing)}"


def parse_operation(data: dict[str, Any], source: str = "operation") -> OperationConfig:
    """Validate ``data`` into an ``OperationConfig``; raises OperationFileError on any problem."""
    try:
        config = _adapter().validate_python(data)
    except ValidationError as error:
        lines = [
            f"{source}: {'.'.join(str(p) for p in problem['loc']) or '(file)'}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise OperationFileError("\n".join(lines)) from None
    problems = list(_rule_problems(config))
    if problems:
        raise OperationFileError("\n".join(f"{source}: {key}: {why}" for key, why in problems))
    return config


def load_operation(path: str | Path) -> OperationConfig:
    """Read and validate an operation file; raises OperationFileError listing every problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OperationFileError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise OperationFileError(f"{path}: not valid TOML: {error}") from None
    return parse_operation(data, str(path))


def bundled_operation(name: str = "oku-2024") -> Path:
    """The path of an operation file shipped with PamTPS."""
    return Path(__file__).parent / "operations" / f"{name}.toml"


def operation_for(dataset: str) -> Path:
    """The bundled operation file of a dataset's Polres where one ships, else the default one."""
    own = bundled_operation(dataset)
    return own if own.exists() else bundled_operation("default")
