"""One Polres of a national run: its scenario, its plan, its plan file and its result.

Each Polres is built the way ``pamtps plan --regency CODE`` builds one from the bundled data: the
kabupaten/kota from the best data that holds it (OKU and the rest of Sumatera Selatan from their
own datasets; the other 497 from the national TPS network, TPS positions estimated on a spiral
around their desa centroid), the bundled operation file of its Polres or ``default.toml`` with the
regency filled in, and a generated roster (every officer marked synthetic).

The roster of a Polres without reported figures of its own is calibrated to national totals,
in proportion to its TPS (sources: docs of Pemilu 2024 security, see ``DOMAIN.md``):

- Polri on TPS duty: 195,819 for 820,161 TPS nationally (Operasi Mantap Brata 2024). Polri on
  TPS are the Polres' own two thirds (``tps_share`` 2/3) plus BKO Polri, so the own strength is
  3/2 of what remains after the BKO Polri;
- BKO Polri, Brimob and TNI lent by the Polda: at Polda Sumatera Selatan's reported rates,
  2,163 BKO for 25,985 TPS, of which 640 Brimob and 510 TNI (so 1,013 other BKO Polri).

OKU keeps its own reported figures (Polres OKU, 627 strong, 59 BKO Polri, 80 Brimob, 30 TNI).

A national run plans with a short budget of counted criteria (``NATIONAL_STOP``): one start
of each cell's grouping, one step of its Lagrangian, one round of the local search and one of
re-staffing, no posts read off the bound (its few steps say little) and no LP to finish the
bound (seconds per Polres that half a million TPS cannot spare); the staffing stays exact.
Counted, not timed: the plan does not depend on the machine's speed or load, and a run on one
worker equals a run on many. The wall clock (``NATIONAL_SAFETY_NET_S``) is only the planner's
safety net.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pamtps import scenarios
from pamtps.datasets import DATASETS
from pamtps.datasets.regency import load_regency
from pamtps.datasets.roster import RosterFigures, generate_roster
from pamtps.domain import Dataset, UnitType, VulnerabilityClass
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.domain.scale import PolresResult
from pamtps.domain.tps import Precision
from pamtps.io.operation_file import load_operation
from pamtps.planner import StopCriteria
from pamtps.planner import plan as make_plan

NATIONAL_TPS = 820_161  # Pemilu 2024 TPS (KPU)
NATIONAL_POLRI_ON_TPS = 195_819  # Polri on TPS duty, Pemilu 2024 (Operasi Mantap Brata)
SUMSEL_TPS = 25_985  # Sumatera Selatan, Pemilu 2024
SUMSEL_BRIMOB = 640  # BKO lent by Polda Sumsel to its 17 Polres, 2024: 2,163 in all,
SUMSEL_TNI = 510  # of which 640 Brimob and 510 TNI
SUMSEL_BKO_POLRI = 2_163 - SUMSEL_BRIMOB - SUMSEL_TNI
TPS_SHARE = 2 / 3  # of a Polres' own strength on TPS duty (default.toml's tps_share)
ROSTER_SEED = 2024
NATIONAL_STOP = StopCriteria(
    starts=1, bound_iterations=1, search_rounds=1, restaff_rounds=1, relaxed_rounds=0,
    lp_above_gap=1.0,
)
"""The planner's counted budget per Polres in a national run (see the module's note)."""
NATIONAL_SAFETY_NET_S = 600.0
"""The wall-clock safety net per Polres, in seconds: never what stops a national plan."""

RAWAN_CLASSES = frozenset({VulnerabilityClass.RAWAN, VulnerabilityClass.SANGAT_RAWAN})
PATTERN_MINIMUM = 2  # two officers together: the least a rawan TPS has of its own
RESULTS_FOLDER = "polres"

Loader = Callable[[str], Dataset]


def national_figures(tps: int) -> RosterFigures:
    """Roster figures for a Polres of ``tps`` TPS, calibrated to the national totals."""
    bko_polri = round(SUMSEL_BKO_POLRI * tps / SUMSEL_TPS)
    polri_on_tps = round(NATIONAL_POLRI_ON_TPS * tps / NATIONAL_TPS)
    own_on_tps = max(polri_on_tps - bko_polri, PATTERN_MINIMUM)
    return RosterFigures(
        polres=round(own_on_tps / TPS_SHARE),
        bko_polri=bko_polri,
        brimob=round(SUMSEL_BRIMOB * tps / SUMSEL_TPS),
        tni=round(SUMSEL_TNI * tps / SUMSEL_TPS),
    )


def polres_figures(dataset: Dataset) -> RosterFigures:
    """The Polres' own reported figures where its bundled data has them, else calibrated."""
    own = DATASETS[dataset.name].figures if dataset.name in DATASETS else None
    return own if own is not None else national_figures(len(dataset.tps))


def polres_scenario(
    code: str, *, seed: int = ROSTER_SEED, loader: Loader = load_regency
) -> tuple[Scenario, scenarios.ScenarioSource]:
    """The Polres' scenario, as ``pamtps plan`` builds it from bundled data, and its source."""
    dataset = loader(code)
    figures = polres_figures(dataset)
    source = scenarios.ScenarioSource("bundled", code, roster_seed=seed, figures=vars(figures))
    config = load_operation(scenarios.operation_path(code)).replace(regency=code)
    officers, units = generate_roster(dataset, figures, seed=seed)
    dataset = dataset.with_personnel(officers, units)
    if dataset.bawaslu_rawan:  # an imported Bawaslu list replaces the geographic pre-screen
        config = config.replace(classification=replace(config.classification, prescreen_rawan=0))
    return Scenario(dataset, config), source


def result_of(plan: Plan, scenario: Scenario, polda_code: str) -> PolresResult:
    """The small record a run keeps of one Polres' plan."""
    dataset = scenario.dataset
    officers = {o.nrp: o for o in dataset.personnel}
    team: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for a in plan.assignments:
        if a.duty is Duty.POST and a.nrp in officers:
            team[a.target] += 1
            own[a.target] += officers[a.nrp].origin.is_local
    post_of = {code: post.id for post in plan.posts for code in post.tps}
    rawan = [c for c, cls in plan.classes.items() if cls in RAWAN_CLASSES]
    groups = Counter(o.summary_group for o in dataset.personnel)
    polres = next(u for u in dataset.units if u.type is UnitType.POLRES)
    return PolresResult(
        polres_code=dataset.regency_codes[0],
        polres_name=polres.name,
        polda_code=polda_code,
        tps=len(dataset.tps),
        rawan=len(rawan),
        officers_own=sum(own.values()),
        bko_polri=groups["bko_polri"],
        brimob=groups["brimob"],
        tni=groups["tni"],
        rawan_short=sum(1 for c in rawan if own[post_of.get(c, "")] < PATTERN_MINIMUM),
        shortfall=sum(max(p.required - team[p.id], 0) for p in plan.posts),
        objective=plan.quality.objective,
        synthetic_roster=any(o.synthetic for o in dataset.personnel),
        estimated_positions=any(t.location_precision is Precision.ESTIMATED
                                for t in dataset.tps),
    )


def result_path(out: Path, code: str) -> Path:
    return out / RESULTS_FOLDER / f"{code}.json"


def plan_path(out: Path, code: str) -> Path:
    return out / RESULTS_FOLDER / code / "plan.json"


def plan_polres(
    code: str,
    out: str | Path,
    *,
    seed: int = ROSTER_SEED,
    time_limit: float = NATIONAL_SAFETY_NET_S,
    loader: Loader = load_regency,
) -> PolresResult:
    """Plan one Polres, write its plan file and then its result (``polres/CODE.json``, the mark
    of a finished Polres), and return the result: all a worker hands back."""
    out = Path(out)
    scenario, source = polres_scenario(code, seed=seed, loader=loader)
    plan = make_plan(scenario, time_limit=time_limit, seed=seed, stop=NATIONAL_STOP)
    scenarios.write_plan_file(plan_path(out, code), plan, source, scenario.operation)
    result = result_of(plan, scenario, code.split(".")[0])
    write_result(out, result)
    return result


def draw_map(out: str | Path, code: str, *, loader: Loader = load_regency) -> Path:
    """Draw the map of a Polres planned into ``out`` (``<out>/<code>/peta-rencana.png``, the
    drill-down of the viewer page) from its plan file, its scenario rebuilt from the roster seed
    the plan file records. ``scenarios.PlanFileError`` when it has no readable plan file."""
    from pamtps.documents.plan_map import write_plan_png  # matplotlib: only where maps are drawn
    from pamtps.documents.polda_view import MAP_FILE

    out = Path(out)
    plan, source, _ = scenarios.read_plan_file(plan_path(out, code))
    scenario, _ = polres_scenario(code, seed=source.roster_seed, loader=loader)
    (out / code).mkdir(parents=True, exist_ok=True)
    return write_plan_png(plan, scenario, out / code / MAP_FILE)


def write_result(out: Path, result: PolresResult) -> None:
    """Write the result whole or not at all: a run stopped mid-write leaves no result file."""
    path = result_path(out, result.polres_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(result.to_json(), indent=1, ensure_ascii=False),
                       encoding="utf-8")
    os.replace(partial, path)


def read_result(out: Path, code: str) -> PolresResult | None:
    """The Polres' result from an earlier run, or None when it has none (or an unreadable one)."""
    try:
        return PolresResult.from_json(json.loads(result_path(out, code).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
