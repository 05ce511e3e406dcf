"""Commands for the data: summary, datasets, imports and the roster template."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pamtps.cli.app import (
    app,
    console,
    fail,
    import_app,
    open_database,
    print_json,
    roster_app,
)
from pamtps.datasets import DATASETS
from pamtps.domain import ElectionType
from pamtps.io.problems import ImportFailed
from pamtps.store import repository

SUMMARY_LABELS = {
    "kabupaten": "Kabupaten/kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa/kelurahan",
    "tps": "TPS",
    "tps_khusus": "  of which TPS khusus",
    "polsek": "Polsek",
}
PERSONNEL_LABELS = {
    "polres": "Personnel: own Polres",
    "bko_polri": "Personnel: BKO Polri",
    "brimob": "Personnel: Brimob (BKO)",
    "tni": "Personnel: TNI",
}


def summary_table(counts: dict, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    for key, label in SUMMARY_LABELS.items():
        table.add_row(label, f"{counts[key]:,}")
    for key, label in PERSONNEL_LABELS.items():
        table.add_row(label, f"{counts['personnel'][key]:,}")
    return table


@app.command()
def summary(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Summarise what the database holds: areas, TPS, Polsek and personnel by origin."""
    db = open_database()
    with db.session() as session:
        counts = repository.summary(session)
    if as_json:
        print_json(counts)
    else:
        console.print(summary_table(counts, "PamTPS database"))


@app.command()
def datasets() -> None:
    """List the datasets bundled with PamTPS."""
    table = Table(title="Bundled datasets", title_justify="left")
    for column in ("name", "covers", "regencies", "sources"):
        table.add_column(column)
    for info in DATASETS.values():
        table.add_row(info.name, info.title, info.regencies, info.sources)
    console.print(table)


def _reference():
    db = open_database()
    with db.session() as session:
        reference = repository.load_dataset(session)
    if not reference.tps and not reference.areas:
        raise fail("the database is empty: run `pamtps init --regency CODE` (or `pamtps demo`) "
                   "first / basis data kosong: jalankan `pamtps init --regency KODE` dulu")
    # Files are checked against what the database holds, and the errors say so.
    return db, replace(reference, name=f"the database ({reference.name or 'no dataset'})")


def _report(kind: str, changes: object) -> None:
    console.print(f"Imported {kind}: {changes}")
    if getattr(changes, "added", 1) == 0 and getattr(changes, "updated", 1) == 0:
        console.print("Nothing changed: the database already held this file's content.")


@import_app.command("tps")
def import_tps(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX file of TPS.")],
    election: Annotated[ElectionType, typer.Option(help="Election type (voter cap).")] = (
        ElectionType.PEMILU
    ),
) -> None:
    """Import a TPS list: every problem is reported; nothing is written unless all is valid."""
    from pamtps.io.tps_import import read_tps

    db, reference = _reference()
    try:
        tps = read_tps(path, reference, election, reference.boundaries)
    except ImportFailed as error:
        raise fail(str(error)) from None
    with db.session() as session:
        _report("TPS", repository.upsert_tps(session, tps))
    if tps.ignored:
        console.print("Kolom diabaikan / ignored columns: " + ", ".join(tps.ignored),
                      highlight=False)


@import_app.command("roster")
def import_roster(path: Annotated[Path, typer.Argument(help="CSV or XLSX roster.")]) -> None:
    """Import a roster (see `pamtps roster template`); all or nothing."""
    from pamtps.io.roster_import import read_roster

    db, reference = _reference()
    try:
        officers, units = read_roster(path, reference)
    except ImportFailed as error:
        raise fail(str(error)) from None
    with db.session() as session:
        _report("personnel", repository.upsert_personnel(session, officers, units))


@import_app.command("indicators")
def import_indicators(
    path: Annotated[Path, typer.Argument(help="Village indicator file (CSV or XLSX).")],
) -> None:
    """Import village indicators (road distance, disaster indices...) for the pre-screen."""
    from pamtps.io.indicators_import import read_indicators

    db, reference = _reference()
    try:
        indicators = read_indicators(path, reference)
    except ImportFailed as error:
        raise fail(str(error)) from None
    with db.session() as session:
        _report("village indicators", repository.upsert_indicators(session, indicators))


@roster_app.command("template")
def roster_template(
    path: Annotated[Path, typer.Argument(help="Where to write it (.xlsx or .csv).")] = Path(
        "roster-template.xlsx"
    ),
) -> None:
    """Write the roster template with an example row and instructions (Petunjuk)."""
    from pamtps.io.roster_template import write_roster_template

    write_roster_template(path)
    console.print(f"Roster template written to {path}")
