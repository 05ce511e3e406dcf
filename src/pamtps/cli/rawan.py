"""The Bawaslu rawan list: `pamtps import rawan FILE` and `pamtps rawan template`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pamtps.cli.app import app, console, fail, import_app, open_database
from pamtps.io.problems import ImportFailed
from pamtps.store import repository

rawan_app = typer.Typer(help="The Bawaslu list of TPS rawan: template.")
app.add_typer(rawan_app, name="rawan")


@import_app.command("rawan")
def import_rawan(
    path: Annotated[Path, typer.Argument(help="The Bawaslu rawan list (CSV or XLSX).")],
) -> None:
    """Import the Bawaslu rawan list (kode_tps, kelas, alasan, indicators); all or nothing.

    The list replaces the stored list of the regencies it covers; the planner gives each
    listed TPS the listed class and does not run the geographic pre-screen.
    """
    from pamtps.io.rawan_import import read_rawan
    from pamtps.store.rawan import RawanSource, replace_rawan_list

    db = open_database()
    with db.session() as session:
        reference = repository.load_dataset(session)
    if not reference.tps:
        raise fail("the database holds no TPS: run `pamtps demo` (or import the TPS) first")
    try:
        found = read_rawan(path, reference)
    except ImportFailed as error:
        raise fail(str(error)) from None
    with db.session() as session:
        changes = replace_rawan_list(session, found.listings,
                                     RawanSource(found.file, found.sha256))
    if found.ignored_columns:
        console.print("Kolom diabaikan / ignored columns: " + ", ".join(found.ignored_columns),
                      highlight=False)
    if found.indicator_columns:
        console.print("Kolom indikator / indicator columns: "
                      + ", ".join(found.indicator_columns), highlight=False)
    if changes.nothing:
        when = ""
        if changes.previous is not None:
            file, _, at = changes.previous
            when = f" ({file}, {at:%Y-%m-%d %H:%M} UTC)"
        console.print(f"Tidak ada perubahan / nothing changed: the database already holds this "
                      f"list of {changes.unchanged} TPS{when}; sha256 {found.sha256[:12]}",
                      highlight=False)
        return
    console.print(
        f"Daftar rawan Bawaslu diimpor / imported: {len(found.listings)} TPS listed "
        f"({changes.added} added, {changes.changed} changed, {changes.removed} removed, "
        f"{changes.unchanged} unchanged) from {found.file}, sha256 {found.sha256[:12]}",
        highlight=False,
    )


@rawan_app.command("template")
def rawan_template(
    path: Annotated[Path, typer.Argument(help="Where to write it (.xlsx or .csv).")] = Path(
        "rawan-template.xlsx"
    ),
) -> None:
    """Write the rawan list template with an example row and instructions (Petunjuk)."""
    from pamtps.io.rawan_template import write_rawan_template

    try:
        write_rawan_template(path)
    except ValueError as error:
        raise fail(str(error)) from None
    console.print(f"Templat daftar TPS rawan / rawan template written to {path}")
