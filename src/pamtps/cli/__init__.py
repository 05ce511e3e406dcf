"""The ``pamtps`` command: one Typer app, its commands grouped by part."""

# Importing a part registers its commands, in this order in ``pamtps --help``.
from pamtps.cli import demo, data, simulate  # noqa: F401, I001  (serve, simulate come next)
from pamtps.cli import planning, rawan, service  # noqa: F401
from pamtps.cli import worker  # noqa: F401
from pamtps.cli import init  # noqa: F401
from pamtps.cli import sms  # noqa: F401
from pamtps.cli import polda  # noqa: F401  (the newest last)
from pamtps.cli.app import app, main

__all__ = ["app", "main"]
