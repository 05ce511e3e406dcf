"""The planner end to end: OKU, the 16 other kabupaten/kota of Sumatera Selatan, the province.

    .venv/bin/python bench/planner.py                       17 regencies and the province
    .venv/bin/python bench/planner.py --quick               OKU and the three smallest kota
    .venv/bin/python bench/planner.py --regency 16.71 16.02 --runs 3
    .venv/bin/python bench/planner.py --regency 16.07 --exact 30   Banyuasin's sectors, exact
    .venv/bin/python bench/planner.py --exact 60 --compare-rev 49a66146   also exact OKU sectors
                                                            and the planner of that revision
    .venv/bin/python bench/planner.py --regency 16.10 16.05 --lp   the bound against its LP

Each instance is built as ``pamtps plan`` builds it from the bundled data with a generated
roster: OKU with its own operation file and figures, every other regency with ``default.toml``
(its regency filled in) and roster figures scaled from OKU by TPS count. It is planned with the
operation's seed and time limit, checked by the validator, and planned again by the manual
method (``baseline``) on the same scenario and TPS classes: both objectives are travel minutes
(officers to posts and guards, plus the ground each post covers), so their ratio is fair.

The province is planned per Polres, all 17 in this one process, one after the other: sectors
never cross a Polres, so its plan is the 17 plans side by side and its row sums theirs.

Every objective in the tables is recomputed from the plan by ``check_objective``'s terms
(ground, seats, home-sector price), so the manual method and an older planner are counted as
the current planner is. ``--exact S`` solves every sector of each ``--regency`` (OKU's when
none is named) with the exact MIP of
tests/planner/oracle (S seconds each, with the officers the plan seats there) and compares;
``--compare-rev REV`` plans the same regencies with the planner of git revision REV, in a
subprocess on a copy of that revision's ``src``. ``--lp`` solves the LP of the bound's model to
the end for each regency (``tests/planner/oracle/joint_lp``, HiGHS, minutes on the large
kabupaten) and says how much of each gap the bound's counted steps leave below that LP, and how
much lies between the LP and the plan.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from tables import machine, markdown, plain

from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.planner import check_objective, travel_for
from pamtps.planner.baseline import baseline
from pamtps.planner.objective import objective_terms
from pamtps.planner.solve import plan, summary
from pamtps.planner.stop import LP_GAP, StopCriteria
from pamtps.planner.validation import validate
from pamtps.scenarios import ScenarioSource, build_scenario

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the exact oracle lives with the tests
from tests.planner.oracle.joint_lp import joint_lp, relaxation_of  # noqa: E402
from tests.planner.oracle.mip import SectorInstance, solve_sector  # noqa: E402
from tests.planner.oracle.sector import improved, sector_of_plan  # noqa: E402

OKU = "16.01"
REGENCIES = [OKU, "16.02", "16.03", "16.04", "16.05", "16.06", "16.07", "16.08", "16.09",
             "16.10", "16.11", "16.12", "16.13", "16.71", "16.72", "16.73", "16.74"]
QUICK = [OKU, "16.72", "16.73", "16.74"]
OKU_TARGET_S = 5.0
PROVINCE_TARGET_S = 120.0
GAP_TARGET = 0.02
EXACT_TARGET = 0.01  # the planner against the exact optimum of an OKU sector
RESULTS = Path(__file__).parent / "results" / "planner.md"


@dataclass
class Row:
    """One instance's numbers; seconds are kept per run (the table shows the median)."""

    name: str
    tps: int = 0
    on_tps: int = 0
    officers: int = 0
    total_s: list[float] = field(default_factory=list)
    plan_s: list[float] = field(default_factory=list)
    objective: float = 0.0
    bound: float = 0.0
    rules: tuple[int, int] = (0, 0)
    manual: float = 0.0
    manual_rules: tuple[int, int] = (0, 0)
    objective_ok: bool = True
    previous: float | None = None  # the planner of --compare-rev, recomputed
    previous_bound: float | None = None
    time_target: float | None = None

    @property
    def gap(self) -> float:
        return max(self.objective - self.bound, 0.0) / self.objective if self.objective else 0.0

    @property
    def ratio(self) -> float:
        return self.objective / self.manual if self.manual else float("inf")

    def missed(self) -> list[str]:
        """The targets this row misses (empty: all met)."""
        missed = []
        if self.time_target is not None and statistics.median(self.total_s) >= self.time_target:
            missed.append(f"time >= {self.time_target:.0f} s")
        if self.gap > GAP_TARGET:
            missed.append(f"gap > {GAP_TARGET:.0%}")
        if self.ratio >= 1.0:
            missed.append("not better than manual")
        if self.rules[0] < self.rules[1]:
            missed.append("rules broken")
        if not self.objective_ok:
            missed.append("objective does not match the plan")
        return missed


def operation_for(regency: str) -> OperationConfig:
    """OKU's own operation file; the default one, with its regency filled in, elsewhere."""
    if regency == OKU:
        return load_operation(bundled_operation("oku-2024"))
    config = load_operation(bundled_operation("default"))
    return config.replace(regency=regency)


def scenario_of(regency: str) -> Scenario:
    """The regency's scenario as ``pamtps plan`` builds it from the bundled data."""
    return build_scenario(ScenarioSource("bundled", regency), operation_for(regency), None)


def run(
    regency: str, row: Row | None, plans: dict[str, tuple[Scenario, Plan]],
    stop: StopCriteria | None = None,
) -> Row:
    """Build and plan one regency (timed, stopping on ``stop``); the first time also measure
    plan and baseline."""
    start = time.perf_counter()
    scenario = scenario_of(regency)
    built = time.perf_counter()
    result = plan(scenario, stop=stop)
    done = time.perf_counter()
    plans[regency] = (scenario, result)
    if row is not None:
        if row.objective != result.quality.objective:
            raise AssertionError(f"{regency}: the same seed gave another plan")
    else:
        numbers = summary(result, scenario)
        manual = baseline(scenario, classes=result.classes, reasons=result.reasons)
        checked = validate(manual, scenario)
        area = scenario.dataset.area_by_code.get(regency)
        row = Row(
            name=f"{regency} {area.name if area else ''}".strip(),
            tps=numbers["tps"],
            on_tps=numbers["officers_on_tps"],
            officers=len(scenario.dataset.personnel),
            objective=result.quality.objective,
            bound=result.quality.lower_bound or 0.0,
            rules=(numbers["rules_passed"], numbers["rules_total"]),
            manual=objective_terms(manual, scenario).total,
            manual_rules=(sum(r.ok for r in checked), len(checked)),
            objective_ok=check_objective(result, scenario).ok,
            time_target=OKU_TARGET_S if regency == OKU else None,
        )
        if any(a.duty is Duty.POST for a in result.assignments) and not row.on_tps:
            raise AssertionError(f"{regency}: officers on posts but none counted")
    row.total_s.append(done - start)
    row.plan_s.append(done - built)
    return row


def province(rows: list[Row], runs: int) -> Row:
    """The 17 Polres as one row: every number summed, seconds summed run by run."""
    total = Row("16 Sumatera Selatan (17 Polres)", time_target=PROVINCE_TARGET_S)
    for row in rows:
        total.tps += row.tps
        total.on_tps += row.on_tps
        total.officers += row.officers
        total.objective += row.objective
        total.bound += row.bound
        total.manual += row.manual
        total.objective_ok &= row.objective_ok
        if row.previous is not None:
            total.previous = (total.previous or 0.0) + row.previous
            total.previous_bound = (total.previous_bound or 0.0) + (row.previous_bound or 0.0)
        total.rules = (total.rules[0] + row.rules[0], total.rules[1] + row.rules[1])
        total.manual_rules = (total.manual_rules[0] + row.manual_rules[0],
                              total.manual_rules[1] + row.manual_rules[1])
    total.total_s = [sum(row.total_s[i] for row in rows) for i in range(runs)]
    total.plan_s = [sum(row.plan_s[i] for row in rows) for i in range(runs)]
    return total


HEAD = ["instance", "TPS", "officers on TPS / total", "s end to end", "s plan", "objective",
        "reported bound", "reported gap %", "rules", "manual objective", "manual rules",
        "plan / manual", "previous planner", "previous bound", "plan / previous", "targets"]


def cells(row: Row) -> list[str]:
    missed = row.missed()
    previous = ["-", "-", "-"] if row.previous is None else [
        f"{row.previous:,.0f}", f"{row.previous_bound or 0:,.0f}",
        f"{row.objective / row.previous:.3f}",
    ]
    return [
        row.name, f"{row.tps:,}", f"{row.on_tps:,} / {row.officers:,}",
        f"{statistics.median(row.total_s):.1f}", f"{statistics.median(row.plan_s):.1f}",
        f"{row.objective:,.0f}", f"{row.bound:,.0f}", f"{100 * row.gap:.2f}",
        f"{row.rules[0]}/{row.rules[1]}", f"{row.manual:,.0f}",
        f"{row.manual_rules[0]}/{row.manual_rules[1]}", f"{row.ratio:.3f}", *previous,
        "met" if not missed else "MISSED: " + ", ".join(missed),
    ]


PREVIOUS = """
import json, sys, time
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.planner import plan
from pamtps.scenarios import ScenarioSource, build_scenario
for code in sys.argv[1:]:
    if code == "16.01":
        config = load_operation(bundled_operation("oku-2024"))
    else:
        config = load_operation(bundled_operation("default")).replace(regency=code)
    scenario = build_scenario(ScenarioSource("bundled", code), config, None)
    start = time.perf_counter()
    made = plan(scenario)
    print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                      "plan": made.to_dict()}), flush=True)
"""


def previous_planner(
    rev: str, rows: dict[str, Row], plans: dict[str, tuple[Scenario, Plan]],
    previous: dict[str, Plan],
) -> str:
    """Plan the regencies with the planner of ``rev`` (a copy of its src, in a subprocess) and
    fill each row's previous objective, recomputed here, and its reported bound."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                            capture_output=True, text=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True,
                             capture_output=True).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        env = os.environ | {"PYTHONPATH": str(Path(folder) / "src")}
        output = subprocess.run([sys.executable, "-c", PREVIOUS, *rows], check=True, env=env,
                                capture_output=True, text=True, cwd=folder).stdout
    for line in output.splitlines():
        found = json.loads(line)
        made = Plan.from_dict(found["plan"])
        previous[found["code"]] = made
        scenario = plans[found["code"]][0]
        row = rows[found["code"]]
        row.previous = objective_terms(made, scenario).total
        row.previous_bound = made.quality.lower_bound
    return commit


CELL_HEAD = ["sector", "kurang rawan TPS", "posts", "optimum", "planner", "gap %", "MIP s",
             "MIP status"]


def exact_cells(scenario: Scenario, result: Plan, limit: float) -> list[list[str]]:
    """The post stage's own problem on each OKU sector's kurang rawan TPS: as many posts as the
    plan has there, each of at most the pattern's TPS, ground only; exact against the plan."""
    travel = travel_for(scenario)
    names = {u.code: u.name for u in scenario.dataset.units}
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    pattern = {c.value: (r.officers_per_post, r.max_tps_per_post)
               for c, r in scenario.operation.pattern.items()}
    table = [CELL_HEAD]
    for code in sorted({p.sector for p in result.posts}):
        posts = [p for p in result.posts
                 if p.sector == code and p.vulnerability.value == "kurang_rawan"]
        codes = sorted(c for p in posts for c in p.tps)
        points = [where[c] for c in codes]
        ground = sum(float(travel.matrix([(p.lat, p.lng)], [where[c] for c in p.tps]).sum())
                     for p in posts)
        cell = SectorInstance(code, tuple(codes), ("kurang_rawan",) * len(codes), pattern,
                              travel.matrix(points, points))
        row = [names.get(code, code), str(len(codes)), str(len(posts))]
        try:
            found = solve_sector(cell, posts=len(posts), time_limit=limit)
        except RuntimeError:
            table.append([*row, "-", f"{ground:,.1f}", "-", f"{limit:.1f}", "no solution found"])
            continue
        table.append([*row, f"{found.objective:,.1f}", f"{ground:,.1f}",
                      f"{100 * (ground - found.objective) / found.objective:.2f}",
                      f"{found.seconds:.1f}", "optimal" if found.optimal else "not proven"])
    return table


EXACT_HEAD = ["sector", "TPS", "officers", "optimum", "planner", "gap %", "MIP s", "MIP status",
              "within 1 %"]


def exact_sectors(
    scenario: Scenario, result: Plan, limit: float
) -> tuple[list[list[str]], list[str]]:
    """Every sector of the regency solved by the exact MIP (``limit`` seconds each) against the
    planner, with the officers the plan seats there; how much of the plan's cost lies within
    its sectors' formations; and what the exact sectors prove about the reported bound."""
    travel = travel_for(scenario)
    names = {u.code: u.name for u in scenario.dataset.units}
    table, solved, lines = [EXACT_HEAD], [], []
    within = best = 0.0
    for code in sorted({p.sector for p in result.posts}):
        planned = sector_of_plan(scenario, result, code, travel)
        size = [names.get(code, code), str(len(planned.instance.codes)),
                str(sum(k.count for k in planned.instance.kinds))]
        within += planned.planner
        try:
            solution = solve_sector(planned.instance, time_limit=limit)
        except RuntimeError:  # no plan found in time: the planner's sector stays
            best += planned.planner
            table.append([*size, "-", f"{planned.planner:,.1f}", "-", f"{limit:.1f}",
                          "no solution found", "-"])
            continue
        best += min(planned.planner, solution.objective)
        gap = (planned.planner - solution.objective) / solution.objective
        status = "optimal" if solution.optimal else f"not proven (MIP bound {solution.bound:,.1f})"
        if solution.optimal:
            missed = 100 * (gap - EXACT_TARGET)
            mark = "met" if gap <= EXACT_TARGET else f"MISSED by {missed:.2f} points"
        else:
            mark = "-"
        table.append([
            *size, f"{solution.objective:,.1f}",
            f"{planned.planner:,.1f}", f"{100 * gap:.2f}", f"{solution.seconds:.1f}", status, mark,
        ])
        if solution.objective < planned.planner:  # a best-found sector is a feasible one too
            solved.append((planned, solution))
    better = improved(scenario, result, solved)
    rules = validate(better, scenario)
    objective = result.quality.objective
    bound = result.quality.lower_bound or 0.0
    lines.append(
        f"the sectors, each with the officers the plan seats there, cost {within:,.2f} in the "
        f"plan and {best:,.2f} at their best answers: {within - best:,.2f} minutes "
        f"({100 * (within - best) / objective:.2f} % of the objective {objective:,.2f}) lie in "
        f"the formations within the sectors; the rest of the gap to the bound, "
        f"{max(objective - bound - (within - best), 0.0):,.2f}, in which officers serve which "
        f"sector and in the bound"
    )
    lines.append(
        f"the plan with every sector replaced by the MIP's answer: objective "
        f"{better.quality.objective:,.2f} (planner {objective:,.2f}), rules "
        f"{sum(r.ok for r in rules)}/{len(rules)}, objective check "
        f"{'ok' if check_objective(better, scenario).ok else 'FAILED'}"
    )
    verdict = (f"ABOVE it by {bound - better.quality.objective:,.2f}: the bound is invalid"
               if bound > better.quality.objective else "not above it")
    lines.append(f"reported lower bound {bound:,.2f}: {verdict}")
    return table, lines


def lp_table(codes: list[str], plans: dict[str, tuple[Scenario, Plan]]) -> list[list[str]]:
    """Each regency's bound against the LP of its model solved to the end (``joint_lp``): the
    LP, the relaxation at the LP's duals (a valid bound too), what the steps leave below it,
    the plan above it, and the gap the plan would show against that bound."""
    rows = [["regency", "objective", "bound", "LP", "bound at LP duals", "bound below LP",
             "plan above LP", "gap at LP duals", "LP s"]]
    for code in codes:
        print(f"joint LP {code}", file=sys.stderr, flush=True)
        scenario, made = plans[code]
        bound, objective = made.quality.lower_bound, made.quality.objective
        found = joint_lp(relaxation_of(scenario, made))
        if found is None or bound is None:
            rows.append([code, f"{objective:,.0f}", "-", "no optimum", *["-"] * 5])
            continue
        rows.append([
            code, f"{objective:,.0f}", f"{bound:,.0f}", f"{found.value:,.0f}",
            f"{found.dual_bound:,.0f}", f"{(found.value - bound) / found.value:.2%}",
            f"{(objective - found.value) / found.value:.2%}",
            f"{(objective - found.dual_bound) / objective:.2%}", f"{found.seconds:.1f}",
        ])
    return rows


def targets(rows: list[Row], whole: Row | None) -> list[str]:
    """One line per target: what was measured, met or missed."""
    lines = []
    oku = next((r for r in rows if r.time_target is not None), None)
    for row, limit in ((oku, OKU_TARGET_S), (whole, PROVINCE_TARGET_S)):
        if row is not None:
            seconds = statistics.median(row.total_s)
            mark = "met" if seconds < limit else f"MISSED by {seconds - limit:.1f} s"
            lines.append(f"{row.name} end to end under {limit:.0f} s: {seconds:.1f} s, {mark}")
    widest = max(rows, key=lambda r: r.gap)
    lines.append(f"gap at most {GAP_TARGET:.0%} on every instance: worst {100 * widest.gap:.2f} %"
                 f" ({widest.name}), {'met' if widest.gap <= GAP_TARGET else 'MISSED'}")
    worst = max(rows, key=lambda r: r.ratio)
    lines.append(f"better than the manual method on every instance: worst ratio "
                 f"{worst.ratio:.3f} ({worst.name}), {'met' if worst.ratio < 1 else 'MISSED'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="OKU and the three smallest kota")
    parser.add_argument("--regency", nargs="+", metavar="CODE", help="only these regencies")
    parser.add_argument("--runs", type=int, default=1, help="runs of the whole set (median)")
    parser.add_argument("--exact", type=float, metavar="S", default=0.0,
                        help="solve every sector exactly, S seconds each (0: not), of the "
                        "--regency given (OKU when none)")
    parser.add_argument("--cells", type=float, metavar="S", default=0.0,
                        help="solve every OKU kurang rawan cell's post problem exactly (S s each)")
    parser.add_argument("--no-lp-bound", action="store_true",
                        help="plan as `pamtps plan --no-lp-bound` (the bound's steps alone)")
    parser.add_argument("--lp", action="store_true",
                        help="solve the LP of the bound's model to the end for each regency")
    parser.add_argument("--compare-rev", metavar="REV",
                        help="also plan with the planner of this git revision")
    args = parser.parse_args()
    stop = StopCriteria(lp_above_gap=1.0 if args.no_lp_bound else LP_GAP)
    codes = args.regency or (QUICK if args.quick else REGENCIES)
    unknown = sorted(set(codes) - set(REGENCIES))
    if unknown:
        parser.error(f"not a Sumatera Selatan regency: {', '.join(unknown)}")
    rows: dict[str, Row] = {}
    plans: dict[str, tuple[Scenario, Plan]] = {}
    for number in range(1, args.runs + 1):
        for code in codes:
            print(f"run {number}/{args.runs}: {code}", file=sys.stderr, flush=True)
            rows[code] = run(code, rows.get(code), plans, stop)
    sections = ""
    previous: dict[str, Plan] = {}
    if args.compare_rev:
        print(f"previous planner: {args.compare_rev}", file=sys.stderr, flush=True)
        commit = previous_planner(args.compare_rev, rows, plans, previous)
        sections += f"\nprevious planner: git revision {commit}\n"
    if args.cells and OKU in plans:
        print("exact OKU cells", file=sys.stderr, flush=True)
        for label, made in (("planner", plans[OKU][1]), ("previous planner", previous.get(OKU))):
            if made is None:
                continue
            cells_table = exact_cells(plans[OKU][0], made, args.cells)
            title = f"OKU kurang rawan cells, the post stage's problem, exact ({label})"
            print(f"\n{title}\n\n{plain(cells_table)}")
            sections += f"\n## {title}\n\n{markdown(cells_table)}\n"
    # the exact sectors of the regencies asked for; of OKU alone when none was named
    for code in [c for c in (codes if args.regency else [OKU]) if args.exact and c in plans]:
        print(f"exact sectors {code}", file=sys.stderr, flush=True)
        exact, lines = exact_sectors(*plans[code], args.exact)
        title = f"{code} sectors, exact MIP ({args.exact:.0f} s each) against the planner"
        print(f"\n{title}\n")
        print(plain(exact))
        print("\n".join(f"- {line}" for line in lines))
        sections += f"\n## {title}\n\n{markdown(exact)}\n\n" + "".join(
            f"- {line}\n" for line in lines)
    if args.lp:
        lp_rows = lp_table(codes, plans)
        title = "the bound against the LP of its model (HiGHS, to the end)"
        print(f"\n{title}\n\n{plain(lp_rows, text=(0,))}")
        sections += f"\n## {title}\n\n{markdown(lp_rows, text=(0,))}\n"
    ordered = [rows[c] for c in codes]
    whole = province(ordered, args.runs) if sorted(codes) == sorted(REGENCIES) else None
    table = [HEAD] + [cells(r) for r in ordered + ([whole] if whole else [])]
    notes = targets(ordered, whole)
    title = "planner end to end (build scenario + plan), against the manual method"
    print(f"\n{title}: {machine(args.runs)}\n\n{plain(table)}\n")
    print("\n".join(f"- {line}" for line in notes))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# {title}\n\n{machine(args.runs)}\n\n{markdown(table)}\n\n"
                       + "".join(f"- {line}\n" for line in notes) + sections, encoding="utf-8")
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
