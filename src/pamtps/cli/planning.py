"""Planning commands: plan, validate, replan, explain."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from pamtps import scenarios
from pamtps.cli.app import app, console, err_console, fail, print_json, progress
from pamtps.cli.forces import (
    Settings,
    check_polsek_share,
    check_share,
    problems,
    roster_figures,
)
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Plan, RuleResult, Scenario
from pamtps.io.operation_file import OperationFileError, load_operation
from pamtps.scenarios import Changes, ScenarioSource, build_scenario, database_has
from pamtps.settings import get_settings
from pamtps.store import Database

DEFAULT_OUT = Path("pamtps-out")


def _operation_path(path: Path | None, regency: str | None) -> Path:
    """The operation file given, else the bundled one of the regency's Polres (the regency
    given, else the one the database holds, else OKU), else the default one."""
    if path is not None:
        return path
    return scenarios.operation_path(regency or _database_regency())


def _database_regency() -> str:
    return scenarios.database_regency(_open_db()) or "16.01"


def _operation(path: Path | None, regency: str | None) -> OperationConfig:
    """The operation, its regency filled in (the one given, else the database's, else OKU)."""
    if regency is None and path is None:
        regency = _database_regency()
    path = _operation_path(path, regency)
    try:
        config = load_operation(path)
    except OperationFileError as error:
        raise fail(str(error)) from None
    if regency is not None and regency != config.regency:
        config = config.replace(regency=regency)
    return config


def _open_db() -> Database:
    db = Database.from_settings()
    db.migrate()
    return db


def read_plan_file(path: Path) -> tuple[Plan, ScenarioSource, OperationConfig]:
    try:
        return scenarios.read_plan_file(path)
    except scenarios.PlanFileError as error:
        raise fail(str(error)) from None


def _scenario(source: ScenarioSource, config: OperationConfig) -> Scenario:
    try:
        return build_scenario(source, config, _open_db() if source.kind == "database" else None)
    except ValueError as error:
        raise fail(str(error)) from None


def rules_table(results: list[RuleResult], lang: str = "id") -> Table:
    """The rules checked on a plan, each in the reader's language with its count."""
    from pamtps.i18n import t

    table = Table(title=t("rules.title", lang), title_justify="left")
    for column in ("", t("rules.column.rule", lang), t("rules.column.result", lang)):
        table.add_column(column)
    for result in results:
        mark = f"[green]{t('rules.ok', lang)}[/]" if result.ok else (
            f"[bold red]{t('rules.failed', lang)}[/]")
        table.add_row(mark, f"{escape(rule_text(result, lang))} [dim]({result.rule})[/]",
                      f"{result.satisfied} / {result.total}")
    return table


def rule_text(result: RuleResult, lang: str) -> str:
    """A rule's text from the catalogue, its figures written as the reader writes them."""
    from pamtps.i18n import number_text, t

    params = {k: number_text(v, lang) if isinstance(v, float) else v
              for k, v in result.params.items()}
    return t(result.message, lang, **params)


def checked_language(lang: str) -> str:
    """``--lang`` as given, if the catalogue has that language; else a clear error."""
    from pamtps.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise fail(f"--lang {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return lang


def run_plan(
    *,
    operation: Path | None = None,
    regency: str | None = None,
    strength: int | None = None,
    seed: int | None = None,
    time_limit: float | None = None,
    out: Path = DEFAULT_OUT,
    outputs: bool = True,
    settings: Settings | None = None,
    lp_bound: bool = True,
) -> tuple[Plan, Scenario, dict[str, Any], list[Path]]:
    """Plan and write the plan file (and the documents): what `pamtps plan` and the demo do."""
    from pamtps.documents import write_all
    from pamtps.planner import LP_GAP, StopCriteria, summary
    from pamtps.planner import plan as make

    settings = settings or Settings()
    path = _operation_path(operation, regency)
    config = settings.applied(_operation(operation, regency))
    db = _open_db()
    use_db = strength is None and database_has(db, config.regency)
    figures = None if use_db else roster_figures(config, strength)
    source = ScenarioSource("database" if use_db else "bundled", config.regency,
                            figures=None if figures is None else vars(figures))
    with progress() as bar:
        task = bar.add_task("Membangun skenario (data dan personel)", total=3)
        scenario = _scenario(source, config)
        if scenario.dataset.bawaslu_rawan and settings.prescreen_rawan is None:
            # An imported Bawaslu list replaces the geographic pre-screen, unless the Kabag Ops
            # asks for pre-screened TPS on top of it (--prescreen-rawan N).
            config = config.replace(classification=replace(
                config.classification, prescreen_rawan=0))
            scenario = Scenario(scenario.dataset, config)
        refused = problems(scenario, source.kind, settings, path)
        if refused:  # stop the progress display first, so that the error is the last line
            bar.stop()
            raise fail("\n".join(refused))
        bar.advance(task)
        bar.update(task, description="Menyusun rencana: kelas TPS, pos, penugasan personel")
        stop = StopCriteria(lp_above_gap=LP_GAP if lp_bound else 1.0)
        plan = make(scenario, time_limit=time_limit, seed=seed, stop=stop)
        bar.advance(task)
        bar.update(task, description="Menulis dokumen (Sprint, lembar perintah, peta)")
        scenarios.write_plan_file(out / "plan.json", plan, source, config)
        files = [out / "plan.json"]
        if outputs:
            secret = get_settings().secret_key.get_secret_value().encode()
            files += write_all(plan, scenario, out, secret)
        bar.advance(task)
    return plan, scenario, summary(plan, scenario), files


def _national_polda(code: str, pool: bool, operation: Path | None, reserve: str | None) -> bool:
    """True when --polda asks for the national run of one Polda: no pool, no Polda file given
    and none bundled for it (the Polda allocation runs otherwise)."""
    from pamtps.scale.polda_file import bundled_polda

    return not pool and operation is None and reserve is None and not bundled_polda(code).exists()


@app.command("plan")
def plan_command(
    operation: Annotated[Path | None, typer.Option(
        help="Operation file (TOML). Default: the bundled oku-2024, or default.toml elsewhere."
    )] = None,
    regency: Annotated[str | None, typer.Option(
        help="Kabupaten/kota code, e.g. 16.02 (any of the 17 in sumsel-2024)."
    )] = None,
    strength: Annotated[int | None, typer.Option(
        help="Own Polres strength: plan on a roster generated from this figure."
    )] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (default: the operation's).")] = None,
    time_limit: Annotated[float | None, typer.Option(
        help="Wall-clock safety net in seconds; the searches stop on counted steps.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for plan.json and the documents.")] = (
        DEFAULT_OUT
    ),
    documents: Annotated[bool, typer.Option(help="Write the Sprint, orders and map.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    bko: Annotated[int | None, typer.Option(
        "--bko", min=0, help="BKO Polri officers on TPS duty (database: at most the roster's)."
    )] = None,
    brimob: Annotated[int | None, typer.Option(
        min=0, help="Brimob officers lent, formed into platoons of about 30 (generated roster)."
    )] = None,
    tni: Annotated[int | None, typer.Option(
        min=0, help="TNI officers lent by the Kodim (generated roster)."
    )] = None,
    tps_share: Annotated[str | None, typer.Option(
        callback=check_share, help="Share of the own strength on TPS duty, e.g. 2/3 or 70%."
    )] = None,
    polsek_share: Annotated[str | None, typer.Option(
        callback=check_polsek_share,
        help="Share of the own strength serving in the Polsek (generated roster), e.g. 45%.",
    )] = None,
    prescreen_rawan: Annotated[int | None, typer.Option(
        min=0, help="TPS the geographic pre-screen makes rawan (0: none)."
    )] = None,
    polda: Annotated[str | None, typer.Option(
        help="Polda (province) code, e.g. 16: lend its pool (--bko, --brimob, --tni: persons) "
        "across its Polres and plan each with its share; --operation: a Polda file. Without a "
        "pool or a Polda file (any of the 38): every Polres planned as in --nation."
    )] = None,
    polda_reserve: Annotated[str | None, typer.Option(
        help="With --polda: share of the pool the Polda keeps as its reserve, e.g. 10%."
    )] = None,
    nation: Annotated[bool, typer.Option(
        "--nation", help="Plan every Polres of the nation (820,161 TPS) into OUT/polres."
    )] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="--nation/--polda: the Dask scheduler of an existing cluster (tcp://HOST:8786)."
    )] = None,
    workers: Annotated[int, typer.Option(
        min=0, help="--nation/--polda: Dask workers of the local cluster (0: plan serially)."
    )] = 2,
    lp_bound: Annotated[bool, typer.Option(
        "--lp-bound/--no-lp-bound", help="Where the plan's gap stays above 2 %, finish its lower "
        "bound by the LP of the bound's model (HiGHS): a tighter bound, still valid; the posts "
        "that LP opens are tried too, and taken if cheaper. Seconds to a minute more on a large "
        "kabupaten; --no-lp-bound keeps the bound's counted steps alone."
    )] = True,
) -> None:
    """Plan the deployment: classify TPS, build posts, staff them, hold the reserve.

    The flags --bko, --brimob, --tni, --tps-share, --polsek-share and --prescreen-rawan
    override the operation file's settings of the same names (its forces section, tps_share,
    its classification section); the plan file records them for validate, replan and explain.
    With --polda they are the Polda's pool instead (its file's polda section).

    --nation (or --polda CODE with no pool and no Polda file) plans every Polres of the nation
    (or of one Polda) from the bundled national network, on a local Dask cluster (--workers) or
    an existing one (--scheduler): rosters synthetic, TPS positions estimated; a stopped run
    resumes.
    """
    pool = bko is not None or brimob is not None or tni is not None
    if nation and (pool or polda is not None):
        raise fail("--nation plans each Polres with its calibrated roster: "
                   "drop --bko, --brimob, --tni and --polda")
    if nation or (polda is not None and _national_polda(polda, pool, operation, polda_reserve)):
        from pamtps.cli.nation import plan_many

        plan_many(nation=nation, polda=polda, scheduler=scheduler, workers=workers, out=out,
                  seed=seed, as_json=as_json)
        return
    if polda is not None:
        from pamtps.cli.polda import run_polda_command

        run_polda_command(polda, operation=operation, bko=bko, brimob=brimob, tni=tni,
                          reserve=polda_reserve, out=out, documents=documents, as_json=as_json,
                          seed=seed, time_limit=time_limit)
        return
    settings = Settings(tps_share=tps_share, prescreen_rawan=prescreen_rawan, bko_polri=bko,
                        brimob=brimob, tni=tni, polsek_share=polsek_share)
    plan, scenario, numbers, files = run_plan(
        operation=operation, regency=regency, strength=strength, seed=seed,
        time_limit=time_limit, out=out, outputs=documents, settings=settings, lp_bound=lp_bound,
    )
    if as_json:
        print_json(numbers)
        return
    from pamtps.cli.plan_summary import render_summary

    render_summary(plan, scenario, console)
    console.print("Berkas / files: " + ", ".join(str(f) for f in files))


@app.command("validate")
def validate_command(
    plan_file: Annotated[Path, typer.Argument(help="A plan.json written by `pamtps plan`.")],
    lang: Annotated[str, typer.Option(
        envvar="PAMTPS_LANG", help="Language of the rules: id (Bahasa Indonesia) or en."
    )] = "id",
) -> None:
    """Check every planning rule on a plan, and recompute its objective from its posts and
    assignments; exit 1 if a rule is broken or the objective does not match."""
    from pamtps.i18n import t
    from pamtps.planner import check_objective, validate

    lang = checked_language(lang)
    plan, source, config = read_plan_file(plan_file)
    scenario = _scenario(source, config)
    results = validate(plan, scenario)
    objective = check_objective(plan, scenario)
    console.print(rules_table([*results, objective], lang))
    broken = [r for r in [*results, objective] if not r.ok]
    if broken:
        for result in broken:
            text = f"{rule_text(result, lang)}: {result.satisfied} / {result.total}"
            err_console.print(f"[bold red]{t('rules.broken', lang)}:[/] {result.rule}: "
                              f"{escape(text)}")
            for violation in result.violations[:10]:  # plain text: a plan's names may hold [..]
                err_console.print(f"  - {escape(violation)}", highlight=False)
        raise typer.Exit(1)
    console.print(f"[green]{t('rules.all_hold', lang, n=len(results))}[/]")


@app.command("replan")
def replan_command(
    plan_file: Annotated[Path, typer.Argument(help="The plan issued (plan.json).")],
    sick: Annotated[list[str] | None, typer.Option(
        help="NRP of an officer now unavailable (repeat, or comma-separated)."
    )] = None,
    reclassify: Annotated[list[str] | None, typer.Option(
        help="TPS reclassified, as CODE=CLASS (kurang_rawan, rawan, sangat_rawan, khusus)."
    )] = None,
    withdraw: Annotated[list[str] | None, typer.Option(
        help="Unit code withdrawn with its officers (e.g. a BKO platoon)."
    )] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the new plan (default: next to it).")]
    = None,
    documents: Annotated[bool, typer.Option(help="Write the documents again.")] = True,
) -> None:
    """Re-plan after changes, keeping every assignment that still holds; print the difference."""
    from pamtps.documents import write_all
    from pamtps.planner import replan

    previous, source, config = read_plan_file(plan_file)
    overrides = {}
    for item in reclassify or []:
        code, _, cls = item.partition("=")
        if not cls:
            raise fail(f"--reclassify {item!r}: expected CODE=CLASS")
        overrides[code.strip()] = cls.strip()
    split = [n.strip() for item in sick or [] for n in item.split(",") if n.strip()]
    source.changes = source.changes.merged(Changes(split, overrides, list(withdraw or [])))
    scenario = _scenario(source, config)
    with progress() as bar:
        task = bar.add_task("Menyusun ulang rencana (perubahan minimal)", total=1)
        new_plan, diff = replan(previous, scenario)
        bar.advance(task)
    target = out or plan_file.parent / f"replan-v{new_plan.version}"
    scenarios.write_plan_file(target / "plan.json", new_plan, source, config)
    if documents:
        write_all(new_plan, scenario, target, get_settings().secret_key.get_secret_value().encode())
    console.print(str(diff), highlight=False)
    console.print(f"Rencana baru / new plan: {target / 'plan.json'}")


@app.command("explain")
def explain_command(
    plan_file: Annotated[Path, typer.Argument(help="A plan.json.")],
    tps: Annotated[str | None, typer.Option(help="Explain this TPS (KPU code).")] = None,
    officer: Annotated[str | None, typer.Option(help="Explain this officer (NRP).")] = None,
    lang: Annotated[str, typer.Option(
        envvar="PAMTPS_LANG", help="Language of the reasons: id (Bahasa Indonesia) or en."
    )] = "id",
) -> None:
    """Why a TPS has its class, post and team; or what an officer does and why."""
    from pamtps.i18n import reason_text
    from pamtps.planner import explain_officer, explain_tps

    if (tps is None) == (officer is None):
        raise fail("give exactly one of --tps or --officer")
    lang = checked_language(lang)
    plan, source, config = read_plan_file(plan_file)
    scenario = _scenario(source, config)
    try:
        text = explain_tps(
            plan, scenario, tps, lambda reason: reason_text(reason, lang)
        ) if tps else explain_officer(
            plan, scenario, officer or "")
    except KeyError as error:
        raise fail(f"not in this plan: {error}") from None
    console.print(text, highlight=False)
