"""The demo command: the OKU data, a synthetic roster, a plan, its documents, the service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pamtps.cli.app import app, console, open_database, progress
from pamtps.datasets import load_dataset
from pamtps.datasets.roster import OKU_FIGURES, generate_roster
from pamtps.store import repository
from pamtps.store.database import Database


def load_demo(db: Database, *, seed: int = 2024) -> dict:
    """Load oku-2024 and a generated roster into ``db``; returns the stored summary."""
    with progress() as bar:
        task = bar.add_task("Loading dataset oku-2024 (areas, boundaries, 1,225 TPS)", total=3)
        dataset = load_dataset("oku-2024")
        bar.advance(task)
        bar.update(task, description="Generating the synthetic Polres OKU roster")
        officers, units = generate_roster(dataset, OKU_FIGURES, seed=seed)
        dataset = dataset.with_personnel(officers, units)
        bar.advance(task)
        bar.update(task, description="Saving to the database")
        with db.session() as session:
            changes = repository.save_dataset(session, dataset)
        bar.advance(task)
        bar.update(task, description=f"Saved oku-2024 ({changes})")
    with db.session() as session:
        return repository.summary(session)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic roster.")] = 2024,
    plan: Annotated[bool, typer.Option(help="Also plan OKU and write the documents.")] = True,
    out: Annotated[Path, typer.Option(help="Folder for the plan and its documents.")] = Path(
        "pamtps-oku-2024"
    ),
    serve: Annotated[bool, typer.Option(
        help="Publish the plan and serve the command service with the demo users."
    )] = True,
    port: Annotated[int, typer.Option(help="Port of the command service.")] = 8000,
    simulate: Annotated[bool, typer.Option(
        help="Also play a simulated voting day against the served demo, to watch on the map."
    )] = False,
    speed: Annotated[float, typer.Option(
        min=1, help="Pace of --simulate: simulated seconds per real second (120: a day in 12 min)."
    )] = 120,
) -> None:
    """The OKU demo: load oku-2024 and a synthetic roster, plan it, write the documents, then
    publish the orders and serve the command service at http://127.0.0.1:8000 (with
    --simulate, a voting day unfolds on it: check-ins, incidents, dispatches, escorts)."""
    from pamtps.cli.data import summary_table  # the other parts register their commands after

    db = open_database()
    counts = load_demo(db, seed=seed)
    console.print(summary_table(counts, "PamTPS demo: Kabupaten Ogan Komering Ulu, Pemilu 2024"))
    console.print(f"Database: {db.display_url}")
    if plan:
        from pamtps.cli.plan_summary import render_summary
        from pamtps.cli.planning import run_plan

        made, scenario, _, files = run_plan(out=out)
        render_summary(made, scenario, console)
        console.print("Documents / dokumen:")
        for path in files:
            console.print(f"  {path}")
        if serve:
            from pamtps.cli.service import serve_demo

            pace = speed if simulate else None
            serve_demo(db, made, scenario, port=port, simulate_speed=pace)
