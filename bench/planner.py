"""The planner end to end: OKU, the 16 other kabupaten/kota of Sumatera Selatan, the province.

    .venv/bin/python bench/planner.py                       17 regencies and the province
    .venv/bin/python bench/planner.py --quick               OKU and the three smallest kota
    .venv/bin/python bench/planner.py --regency 16.71 16.02 --runs 3

Each instance is built as ``pamtps plan`` builds it from the bundled data with a generated
roster: OKU with its own operation file and figures, every other regency with ``default.toml``
(its regency filled in) and roster figures scaled from OKU by TPS count. It is planned with the
operation's seed and time limit, checked by the validator, and planned again by the manual
method (``baseline``) on the same scenario and TPS classes: both objectives are travel minutes
(officers to posts and guards, plus the ground each post covers), so their ratio is fair.

The province is planned per Polres, all 17 in this one process, one after the other: sectors
never cross a Polres, so its plan is the 17 plans side by side and its row sums theirs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tables import machine, markdown, plain

from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Duty
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.planner.baseline import baseline
from pamtps.planner.solve import plan, summary
from pamtps.planner.validation import validate
from pamtps.scenarios import ScenarioSource, build_scenario

OKU = "16.01"
REGENCIES = [OKU, "16.02", "16.03", "16.04", "16.05", "16.06", "16.07", "16.08", "16.09",
             "16.10", "16.11", "16.12", "16.13", "16.71", "16.72", "16.73", "16.74"]
QUICK = [OKU, "16.72", "16.73", "16.74"]
OKU_TARGET_S = 5.0
PROVINCE_TARGET_S = 120.0
GAP_TARGET = 0.02
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
        return missed


def operation_for(regency: str) -> OperationConfig:
    """OKU's own operation file; the default one, with its regency filled in, elsewhere."""
    if regency == OKU:
        return load_operation(bundled_operation("oku-2024"))
    config = load_operation(bundled_operation("default"))
    return config.replace(regency=regency)


def run(regency: str, row: Row | None) -> Row:
    """Build and plan one regency (timed); the first time also measure plan and baseline."""
    start = time.perf_counter()
    scenario = build_scenario(ScenarioSource("bundled", regency), operation_for(regency), None)
    built = time.perf_counter()
    result = plan(scenario)
    done = time.perf_counter()
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
            manual=manual.quality.objective,
            manual_rules=(sum(r.ok for r in checked), len(checked)),
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
        total.rules = (total.rules[0] + row.rules[0], total.rules[1] + row.rules[1])
        total.manual_rules = (total.manual_rules[0] + row.manual_rules[0],
                              total.manual_rules[1] + row.manual_rules[1])
    total.total_s = [sum(row.total_s[i] for row in rows) for i in range(runs)]
    total.plan_s = [sum(row.plan_s[i] for row in rows) for i in range(runs)]
    return total


HEAD = ["instance", "TPS", "officers on TPS / total", "s end to end", "s plan", "objective",
        "lower bound", "gap %", "rules", "manual objective", "manual rules", "plan / manual",
        "targets"]


def cells(row: Row) -> list[str]:
    missed = row.missed()
    return [
        row.name, f"{row.tps:,}", f"{row.on_tps:,} / {row.officers:,}",
        f"{statistics.median(row.total_s):.1f}", f"{statistics.median(row.plan_s):.1f}",
        f"{row.objective:,.0f}", f"{row.bound:,.0f}", f"{100 * row.gap:.2f}",
        f"{row.rules[0]}/{row.rules[1]}", f"{row.manual:,.0f}",
        f"{row.manual_rules[0]}/{row.manual_rules[1]}", f"{row.ratio:.3f}",
        "met" if not missed else "MISSED: " + ", ".join(missed),
    ]


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
    args = parser.parse_args()
    codes = args.regency or (QUICK if args.quick else REGENCIES)
    unknown = sorted(set(codes) - set(REGENCIES))
    if unknown:
        parser.error(f"not a Sumatera Selatan regency: {', '.join(unknown)}")
    rows: dict[str, Row] = {}
    for number in range(1, args.runs + 1):
        for code in codes:
            print(f"run {number}/{args.runs}: {code}", file=sys.stderr, flush=True)
            rows[code] = run(code, rows.get(code))
    ordered = [rows[c] for c in codes]
    whole = province(ordered, args.runs) if sorted(codes) == sorted(REGENCIES) else None
    table = [HEAD] + [cells(r) for r in ordered + ([whole] if whole else [])]
    notes = targets(ordered, whole)
    title = "planner end to end (build scenario + plan), against the manual method"
    print(f"\n{title}: {machine(args.runs)}\n\n{plain(table)}\n")
    print("\n".join(f"- {line}" for line in notes))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# {title}\n\n{machine(args.runs)}\n\n{markdown(table)}\n\n"
                       + "".join(f"- {line}\n" for line in notes), encoding="utf-8")
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
