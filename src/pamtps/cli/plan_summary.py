"""A plan summarised in the terminal with rich tables, in Bahasa Indonesia."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from pamtps.documents import labels
from pamtps.documents.sheets import settings_rows
from pamtps.documents.view import PlanView
from pamtps.domain import Origin, VulnerabilityClass
from pamtps.domain.forces import force_settings
from pamtps.domain.plan import Duty, Plan, Scenario


def render_summary(plan: Plan, scenario: Scenario, console: Console) -> None:
    """Print the plan's TPS, posts, officers, reserve and quality as tables."""
    view = PlanView(plan, scenario)
    console.rule(f"[bold]{plan.operation}[/bold] - rencana versi {plan.version}")
    console.print(
        f"Dataset {plan.dataset}, mode {plan.mode}, pemungutan suara "
        f"{labels.long_date(view.operation.voting_day)}"
    )
    tables = (_settings(scenario), _classes(view), _posts(view), _duties(view), _reserve(view),
              _quality(plan))
    for table in tables:
        if table.row_count:
            console.print(table)
    for shortage in plan.shortages:
        console.print(
            f"[red]Kekurangan personel di {view.unit_name(shortage.sector)}: "
            f"butuh {shortage.needed}, tersedia {shortage.available}[/red]"
        )


def _table(title: str, texts: list[str], numbers: list[str]) -> Table:
    """A table whose ``texts`` columns come first, then right-aligned ``numbers`` columns."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for heading in texts:
        table.add_column(heading)
    for heading in numbers:
        table.add_column(heading, justify="right")
    return table


def _settings(scenario: Scenario) -> Table:
    table = _table("Kekuatan dan pengaturan operasi", ["Uraian", "Nilai"], [])
    for label, value in settings_rows(force_settings(scenario)):
        table.add_row(label, value)
    return table


def _classes(view: PlanView) -> Table:
    table = _table("TPS per kelas", ["Kelas"], ["TPS", "Pos", "Personel di pos"])
    tps = Counter(view.class_of(t) for t in view.dataset.tps)
    posts = Counter(p.vulnerability for p in view.plan.posts)
    officers = Counter({c: 0 for c in VulnerabilityClass})
    for post in view.plan.posts:
        officers[post.vulnerability] += len(view.team(post.id))
    for kind in VulnerabilityClass:
        table.add_row(
            labels.class_label(kind), str(tps[kind]), str(posts[kind]), str(officers[kind])
        )
    table.add_row(
        "Jumlah", str(tps.total()), str(posts.total()), str(officers.total()), style="bold"
    )
    return table


def _posts(view: PlanView) -> Table:
    table = _table("Pos per sektor", ["Sektor"], ["TPS", "Pos", "Personel", "Minimum"])
    for sector in view.sectors:
        posts = view.sector_posts(sector.code)
        table.add_row(
            sector.name,
            str(sum(len(p.tps) for p in posts)),
            str(len(posts)),
            str(sum(len(view.team(p.id)) for p in posts)),
            str(sum(p.required for p in posts)),
        )
    return table


def _duties(view: PlanView) -> Table:
    origins = list(Origin)
    table = _table(
        "Personel per tugas dan asal",
        ["Tugas"],
        [*(labels.ORIGIN_LABELS[o] for o in origins), "Jumlah"],
    )
    for duty in Duty:
        members = view.by_duty[duty]
        if members:
            counts = Counter(m.officer.origin for m in members)
            table.add_row(
                labels.DUTY_LABELS[duty], *(str(counts[o]) for o in origins), str(len(members))
            )
    return table


def _reserve(view: PlanView) -> Table:
    table = _table("Cadangan per tempat siaga", ["Tempat siaga", "Satuan"], ["Personel"])
    for station, members in view.reserve().items():
        units = Counter(view.unit_name(m.officer.unit_code) for m in members)
        table.add_row(
            view.station_name(station),
            ", ".join(f"{name} ({count})" for name, count in units.items()),
            str(len(members)),
        )
    minutes = list(view.plan.reserve_minutes.values())
    if minutes:
        mean = labels.decimal(sum(minutes) / len(minutes), 0)
        table.caption = (
            f"Waktu tempuh cadangan ke TPS: rata-rata {mean} menit, "
            f"terjauh {labels.decimal(max(minutes), 0)} menit"
        )
    return table


STOP_LABELS = {
    "iterations": "batas iterasi (sama di mesin mana pun)",
    "converged": "konvergen (sama di mesin mana pun)",
    "wall_clock": "batas waktu jam dinding (bergantung pada mesin)",
}


def _quality(plan: Plan) -> Table:
    quality = plan.quality
    stopped_by = quality.stages.get("posts", {}).get("stopped_by", "")
    table = _table("Mutu rencana", ["Ukuran"], ["Nilai"])
    gap = "-" if quality.gap is None else f"{labels.decimal(100 * quality.gap)} %"
    bound = (
        "tanpa batas bawah (heuristik)"
        if quality.lower_bound is None
        else labels.decimal(quality.lower_bound)
    )
    rows = [
        ("Nilai tujuan (objective)", labels.decimal(quality.objective)),
        ("Batas bawah (sah untuk setiap susunan pos menurut aturan)", bound),
        ("Selisih (gap) terhadap batas bawah itu", gap),
        ("Status", labels.STATUS_LABELS.get(quality.status, quality.status)),
        ("Waktu hitung", f"{labels.decimal(quality.seconds)} detik"),
        ("Seed", str(quality.seed)),
        ("Berhenti karena", STOP_LABELS.get(stopped_by, stopped_by or "-")),
    ]
    for key, value in rows:
        table.add_row(key, value)
    return table
