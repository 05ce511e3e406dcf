"""The Typer application and the helpers every command shares."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pamtps.store.database import Database

app = typer.Typer(
    name="pamtps",
    help="PamTPS: plan and run the police security of election polling stations (TPS).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import TPS lists, rosters and village indicators (CSV or XLSX).")
roster_app = typer.Typer(help="Roster tools.")
app.add_typer(import_app, name="import")
app.add_typer(roster_app, name="roster")

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


@contextlib.contextmanager
def progress() -> Iterator[Progress]:
    """A progress display for steps that take more than a second."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        yield bar


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, keys sorted, nothing else."""
    typer.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str))


def fail(message: str, code: int = 1) -> typer.Exit:
    # the message is plain text (it may quote a file's [section] or a user's input)
    err_console.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


def main() -> None:
    app()


def open_database() -> Database:
    """The configured database, migrated to the current schema."""
    db = Database.from_settings()
    db.migrate()
    return db
