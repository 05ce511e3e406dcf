"""The ``pamtps`` command: one Typer app, its commands grouped by part."""

from pamtps.cli import data, operations, planning, service  # noqa: F401  (registers the commands)
from pamtps.cli.app import app, main

__all__ = ["app", "main"]
