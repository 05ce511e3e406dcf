"""`pamtps plan --polda CODE --bko N --brimob N --tni N`: a Polda lends its pool to its Polres;
`pamtps view DIR`: the viewer page of a run's folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from pamtps.cli.app import app, console, fail, print_json, progress
from pamtps.domain.operation import parse_share
from pamtps.io.operation_file import OperationFileError

SUMMARY_FILE = "ringkasan-polda.json"


def run_polda_command(
    code: str, *, operation: Path | None, bko: int | None, brimob: int | None, tni: int | None,
    reserve: str | None, out: Path, documents: bool, as_json: bool, seed: int | None,
    time_limit: float | None,
) -> None:
    """Requirement, allocation and every Polres planned with its share; the outputs in ``out``."""
    from pamtps.documents.polda_view import write_viewer
    from pamtps.documents.sprint_bko import write_sprint_bko_pdf, write_sprint_bko_xlsx
    from pamtps.scale.polda import PoldaSetup, Writing, polda_regencies, run_polda
    from pamtps.scale.polda_file import bundled_polda, load_polda_file

    path = operation or bundled_polda(code)
    if not path.exists():
        raise fail(f"--polda {code}: no Polda file ships for it ({path.name}); give one with "
                   "--operation (an operation file with a [polda] section)")
    try:
        given = load_polda_file(path)
    except OperationFileError as error:
        raise fail(str(error)) from None
    if given.code != code:
        raise fail(f"{path}: polda.code: {given.code!r}, but --polda {code} was asked")
    try:
        known = polda_regencies(code)
    except ValueError as error:
        raise fail(f"--polda {code}: {error}") from None
    polres = list(given.polres) or known
    unknown = sorted(set(polres) - set(known))
    if unknown:
        raise fail(f"{path}: polda.polres: unknown kabupaten/kota {', '.join(unknown)}")
    share = given.pool.reserve_share
    if reserve is not None:
        try:
            share = Fraction(parse_share(reserve))
        except ValueError as error:
            raise fail(f"--polda-reserve: {error}") from None
        if not 0 <= share < 1:
            raise fail(f"--polda-reserve {reserve!r}: a share from 0 up to, not including, 1")
    base = given.pool
    pool = replace(base, reserve_share=share,
                   bko_polri=base.bko_polri if bko is None else bko,
                   brimob=base.brimob if brimob is None else brimob,
                   tni=base.tni if tni is None else tni)
    setup = PoldaSetup(code, given.operation, pool, given.bases, tuple(polres),
                       time_limit=time_limit, seed=seed)
    with progress() as bar:
        steps = bar.add_task(f"Polda {code}: {len(polres)} Polres", total=2 * len(polres))

        def counted(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
            for item in items:
                yield function(item)
                bar.advance(steps)

        report = run_polda(setup, Writing(out, documents), map_fn=counted)
    summary = report.to_json()
    out.mkdir(parents=True, exist_ok=True)
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=1, ensure_ascii=False),
                                    encoding="utf-8")
    files = [out / SUMMARY_FILE, write_sprint_bko_xlsx(summary, out / "sprint-bko.xlsx"),
             write_sprint_bko_pdf(summary, out / "sprint-bko.pdf"), *write_viewer(out)]
    if as_json:
        print_json(summary)
        return
    console.print(polda_table(summary))
    console.print("Berkas / files: " + ", ".join(str(f) for f in files))


def polda_table(summary: dict[str, Any]) -> Table:
    table = Table(title=f"Polda {summary['polda']}: BKO per Polres", title_justify="left")
    for column in ("Polres", "TPS", "rawan", "own", "need", "BKO", "Brimob", "TNI",
                   "rawan < 2", "short"):
        table.add_column(column, justify="left" if column == "Polres" else "right")
    for p in summary["polres"]:
        table.add_row(f"{p['polres_code']} {p['polres_name']}", str(p["tps"]), str(p["rawan"]),
                      str(p["officers_own"]), str(p["need"]["rawan"] + p["need"]["safe"]),
                      str(p["bko_polri"]), str(p["brimob"]), str(p["tni"]),
                      str(p["rawan_short"]), str(p["shortfall"]))
    return table


@app.command("view")
def view_command(
    folder: Annotated[Path, typer.Argument(help="A run's folder holding polres/*.json.")],
    maps: Annotated[list[str] | None, typer.Option(
        "--map", help="Also draw the map of this Polres (kabupaten/kota code, e.g. 11.01) "
        "from its plan file in a national run's folder, for the page's drill-down; "
        "repeatable; 'all' for every Polres without one.")] = None,
) -> None:
    """(Re)build the viewer page (index.html, index.en.html) of a Polda's or the nation's run."""
    from pamtps.documents.polda_view import MAP_FILE, write_viewer

    if not (folder / "polres").is_dir():
        raise fail(f"{folder}: no polres/ folder of Polres records (polres/<code>.json) here")
    wanted = list(maps or [])
    if "all" in wanted:
        wanted = sorted(p.stem for p in (folder / "polres").glob("*.json")
                        if not (folder / p.stem / MAP_FILE).exists())
    if wanted:
        from pamtps.scale.nation import draw_map
        from pamtps.scenarios import PlanFileError

        for code in wanted:
            try:
                console.print(f"Peta / map: {draw_map(folder, code)}", highlight=False)
            except (PlanFileError, KeyError) as error:
                raise fail(f"--map {code}: {error}") from None
    try:
        files = write_viewer(folder)
    except ValueError as error:
        raise fail(str(error)) from None
    console.print("Berkas / files: " + ", ".join(str(f) for f in files))
