"""`pamtps init --regency CODE`: fill the database with one regency's reference data.

Areas (with boundaries where bundled), TPS, the Polres and its Polsek sectors, and the guarded
objects (KPU office and warehouse, a PPK per kecamatan), from the best bundled data that holds
the regency (see ``pamtps.datasets.regency``). No roster: that is the Polres' own, imported with
`pamtps import roster` (or generated for a trial with `pamtps demo`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from pamtps.cli.app import app, console, fail, open_database, progress
from pamtps.datasets.regency import UnknownRegency, load_regency, regency_source
from pamtps.store import repository


@app.command()
def init(
    regency: Annotated[str, typer.Option(
        help="Kabupaten/kota code, e.g. 16.08 (any of the 514: Sumatera Selatan's from their "
        "bundled data, others from the national TPS network, locations estimated)."
    )],
    add: Annotated[bool, typer.Option(
        "--add", help="Add this regency to a database that already holds another."
    )] = False,
) -> None:
    """Fill the database with a regency: areas, TPS, Polres and Polsek sectors, KPU office,
    logistics warehouse and PPK. Run it once; then `pamtps import roster`."""
    from pamtps.cli.data import summary_table  # registered after this module

    try:
        source = regency_source(regency)
    except UnknownRegency as error:
        raise fail(str(error)) from None
    db = open_database()
    with db.session() as session:
        held = repository.stored_regencies(session)
    if regency in held:
        console.print(f"Database sudah berisi kabupaten/kota {regency}: tidak ada yang diubah. "
                      f"/ The database already holds {regency}: nothing changed.")
        return
    if held and not add:
        raise fail(
            f"the database already holds regency {', '.join(held)}; "
            f"add {regency} to it with `pamtps init --regency {regency} --add`, or use "
            "another database (PAMTPS_DATABASE_URL) / basis data sudah berisi kabupaten/kota "
            f"{', '.join(held)}: tambahkan dengan --add"
        )
    with progress() as bar:
        task = bar.add_task(f"Memuat {regency} dari {source}", total=2)
        dataset = load_regency(regency)
        bar.advance(task)
        bar.update(task, description="Menyimpan ke basis data / saving to the database")
        with db.session() as session:
            changes = repository.save_dataset(session, dataset)
        bar.advance(task)
    with db.session() as session:
        counts = repository.summary(session)
    area = dataset.area_by_code[regency]
    console.print(summary_table(counts, f"PamTPS: {area.name} ({regency}, {source})"))
    console.print(f"Disimpan / saved: {changes}. Database: {db.display_url}")
    estimated = [u for u in dataset.units if u.base_precision.value == "estimated"]
    console.print(
        f"{len(estimated)} of {len(dataset.units)} unit bases and every TPS location are "
        "estimated: import surveyed ones with `pamtps import tps`. "
        "Next / berikutnya: `pamtps import roster FILE` (template: `pamtps roster template`)."
    )
