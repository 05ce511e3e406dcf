"""`pamtps plan --nation` and `pamtps plan --polda CODE`: every Polres of the nation or of one
Polda planned from the bundled national network, on Dask workers or serially."""

from __future__ import annotations

import functools
import time
from pathlib import Path

from rich.table import Table

from pamtps.cli.app import console, fail, print_json, progress
from pamtps.scale.nation import NATIONAL_SAFETY_NET_S, ROSTER_SEED, plan_polres
from pamtps.scale.partition import PoldaPart, UnknownPolda, national_network, polda_of
from pamtps.scale.run import ScaleUnavailable, by_polda, dask_client, dask_map, run, totals


def plan_many(
    *,
    nation: bool,
    polda: str | None,
    scheduler: str | None,
    workers: int,
    out: Path,
    seed: int | None,
    as_json: bool,
) -> None:
    """Plan the Polres of the nation (or of one Polda) into ``out``, resuming a stopped run."""
    try:
        poldas: tuple[PoldaPart, ...] = (national_network() if nation or polda is None
                                         else (polda_of(polda),))
    except UnknownPolda as error:
        raise fail(str(error)) from None
    polres = [p for part in poldas for p in part.polres]
    task = functools.partial(plan_polres, out=str(out.resolve()),
                             seed=ROSTER_SEED if seed is None else seed,
                             time_limit=NATIONAL_SAFETY_NET_S)
    start = time.perf_counter()
    with progress() as bar:
        line = bar.add_task(f"Merencanakan {len(polres)} Polres "
                            f"({sum(p.tps for p in polres):,} TPS)", total=len(polres))
        advance = lambda _result: bar.advance(line)  # noqa: E731
        try:
            if workers == 0 and scheduler is None:
                report = run(polres, task, out, on_result=advance)
            else:
                with dask_client(scheduler, workers) as client:
                    report = run(polres, task, out, dask_map(client), on_result=advance)
        except ScaleUnavailable as error:
            bar.stop()
            raise fail(str(error)) from None
    numbers = {
        **totals(report.results),
        "planned": len(report.planned),
        "resumed": len(report.resumed),
        "seconds": round(time.perf_counter() - start, 1),
        "out": str(out),
        "by_polda": by_polda(report.results),
    }
    from pamtps.documents.polda_view import write_viewer

    write_viewer(out)  # index.html: the counts by Polres ('pamtps view --map' adds the maps)
    if as_json:
        print_json(numbers)
        return
    table = Table(title="Rencana per Polda (plan by Polda)", title_justify="left")
    columns = ("Polda", "Polres", "TPS", "rawan", "personel sendiri di TPS", "BKO Polri",
               "Brimob", "TNI", "rawan < 2", "kekurangan")
    for column in columns:
        table.add_column(column, justify="left" if column == "Polda" else "right")
    names = {p.code: p.name for p in poldas}
    keys = ("polres", "tps", "rawan", "officers_own", "bko_polri", "brimob", "tni",
            "rawan_short", "shortfall")
    for code, row in numbers["by_polda"].items():
        table.add_row(f"{code} {names.get(code, '')}", *(f"{row[k]:,}" for k in keys))
    table.add_row("[bold]Jumlah / total[/]", *(f"[bold]{numbers[k]:,}[/]" for k in keys))
    console.print(table)
    console.print(f"{numbers['polda']} Polda, {numbers['polres']} Polres, {numbers['tps']:,} TPS; "
                  f"{numbers['planned']} planned now, {numbers['resumed']} done before; "
                  f"{numbers['seconds']} s. Results: {out / 'polres'}", highlight=False)
